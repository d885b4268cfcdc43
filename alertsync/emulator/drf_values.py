"""More DRF field behaviour, for the hog-function and integration serializers.

Companion of :mod:`alertsync.emulator.drf` (the alert serializer's fields): the same
:class:`~alertsync.emulator.drf.FieldError`, with DRF's exact messages and codes. ``path``
is the location below the field, e.g. ``(0, "key")`` for the first item's ``key``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from alertsync.emulator.clock import parse_datetime
from alertsync.emulator.drf import FieldError, not_null, type_name

DATETIME_FORMATS = "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]"


def invalid_dict(value: Any, path: Sequence[str | int] = ()) -> FieldError:
    """A nested serializer given something other than an object."""
    detail = f"Invalid data. Expected a dictionary, but got {type_name(value)}."
    return FieldError(detail, "invalid", (*map(str, path), "non_field_errors"))


def char_field(
    value: Any,
    *,
    allow_blank: bool = False,
    allow_null: bool = False,
    max_length: int | None = None,
) -> str | None:
    """DRF ``CharField``: numbers become strings, whitespace is trimmed."""
    if value is None:
        if allow_null:
            return None
        raise not_null()
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FieldError("Not a valid string.")
    text = str(value).strip()
    if not text and not allow_blank:
        raise FieldError("This field may not be blank.", "blank")
    if max_length is not None and len(text) > max_length:
        detail = f"Ensure this field has no more than {max_length} characters."
        raise FieldError(detail, "max_length")
    return text


def integer_field(value: Any, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """DRF ``IntegerField``: integral numbers and numeric strings."""
    if isinstance(value, bool):
        raise FieldError("A valid integer is required.")
    try:
        number = int(str(value).strip()) if isinstance(value, str) else int(value)
    except (TypeError, ValueError, OverflowError):
        raise FieldError("A valid integer is required.") from None
    if isinstance(value, float) and value != number:
        raise FieldError("A valid integer is required.")
    if minimum is not None and number < minimum:
        detail = f"Ensure this value is greater than or equal to {minimum}."
        raise FieldError(detail, "min_value")
    if maximum is not None and number > maximum:
        raise FieldError(f"Ensure this value is less than or equal to {maximum}.", "max_value")
    return number


def list_field(value: Any, *, allow_empty: bool = True, max_length: int | None = None) -> list[Any]:
    """DRF ``ListField`` before its child runs: any list (a string is not one)."""
    if isinstance(value, str) or not isinstance(value, list | tuple):
        detail = f'Expected a list of items but got type "{type_name(value)}".'
        raise FieldError(detail, "not_a_list")
    if not value and not allow_empty:
        raise FieldError("This list may not be empty.", "empty")
    if max_length is not None and len(value) > max_length:
        detail = f"Ensure this field has no more than {max_length} elements."
        raise FieldError(detail, "max_length")
    return list(value)


def dict_field(value: Any) -> dict[str, Any]:
    """DRF ``DictField`` before its child runs."""
    if not isinstance(value, dict):
        detail = f'Expected a dictionary of items but got type "{type_name(value)}".'
        raise FieldError(detail, "not_a_dict")
    return value


def uuid_field(value: Any) -> str:
    """DRF ``UUIDField`` (hex_verbose): the canonical lower-case form."""
    try:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(uuid.UUID(int=value))
        if isinstance(value, str):
            return str(uuid.UUID(value))
    except ValueError:
        pass
    raise FieldError("Must be a valid UUID.")


def datetime_field(value: Any) -> datetime:
    """DRF ``DateTimeField`` input: an ISO 8601 datetime (naive values are UTC)."""
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        detail = f"Datetime has wrong format. Use one of these formats instead: {DATETIME_FORMATS}."
        raise FieldError(detail)
    return moment


def under(error: FieldError, *prefix: str | int) -> FieldError:
    """``error`` moved below ``prefix`` (a list index, a nested serializer's field)."""
    return FieldError(error.detail, error.code, (*map(str, prefix), *error.path))
