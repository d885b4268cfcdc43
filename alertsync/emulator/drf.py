"""DRF field behaviour the alert serializer relies on: coercions and their exact messages.

Each helper returns the internal value or raises :class:`FieldError`, whose ``path`` is the
location below the field (for nested serializers), e.g. ``("configuration",)``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

MAX_NAME_LENGTH = 255

_TRUE = {"t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1"}
_FALSE = {"f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}
# 1 also matches True and 1.0; 0 also matches False and 0.0 (equal hashes, as in DRF).
_TRUE_VALUES: set[object] = {*_TRUE, 1}
_FALSE_VALUES: set[object] = {*_FALSE, "0", 0}
_NULL_VALUES: set[object] = {"null", "Null", "NULL", "", None}


class FieldError(Exception):
    """A DRF field error: message, DRF code and the path below the field."""

    def __init__(self, detail: str, code: str = "invalid", path: Sequence[str] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code
        self.path = tuple(path)


def required(path: Sequence[str] = ()) -> FieldError:
    return FieldError("This field is required.", "required", path)


def not_null(path: Sequence[str] = ()) -> FieldError:
    return FieldError("This field may not be null.", "null", path)


def type_name(value: Any) -> str:
    return type(value).__name__


def to_boolean(value: Any, allow_null: bool = False) -> bool | None:
    """DRF ``BooleanField``: accepts the usual spellings of true/false."""
    try:
        if value in _TRUE_VALUES:
            return True
        if value in _FALSE_VALUES:
            return False
        if allow_null and value in _NULL_VALUES:
            return None
    except TypeError:  # unhashable: a list or an object
        pass
    raise FieldError("Must be a valid boolean.")


def to_char(value: Any, max_length: int = MAX_NAME_LENGTH) -> str:
    """DRF ``CharField(allow_blank=True)``: numbers become strings, whitespace is trimmed."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FieldError("Not a valid string.")
    text = str(value).strip()
    if len(text) > max_length:
        detail = f"Ensure this field has no more than {max_length} characters."
        raise FieldError(detail, "max_length")
    return text


def to_choice(value: Any, choices: Collection[str]) -> str:
    """DRF ``ChoiceField``: the value's string form must be one of ``choices``."""
    text = str(value)
    if text not in choices:
        raise FieldError(f'"{value}" is not a valid choice.', "invalid_choice")
    return text


def to_pk(value: Any, exists: Collection[int]) -> int:
    """DRF ``PrimaryKeyRelatedField`` over an integer pk (Django's ``int()`` coercion)."""
    if isinstance(value, bool):
        raise _incorrect_type(value)
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise _incorrect_type(value) from None
    if pk not in exists:
        raise FieldError(f'Invalid pk "{value}" - object does not exist.', "does_not_exist")
    return pk


def to_pk_list(value: Any, exists: Collection[int]) -> list[int]:
    """DRF ``ManyRelatedField``: any non-string iterable; the first bad item fails it."""
    if isinstance(value, str) or not isinstance(value, list | dict):
        detail = f'Expected a list of items but got type "{type_name(value)}".'
        raise FieldError(detail, "not_a_list")
    return [to_pk(item, exists) for item in value]


def _incorrect_type(value: Any) -> FieldError:
    detail = f"Incorrect type. Expected pk value, received {type_name(value)}."
    return FieldError(detail, "incorrect_type")
