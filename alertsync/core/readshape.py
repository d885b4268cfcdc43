"""The read shape alertsync relies on: each live alert is checked before it is used.

A listing that answers 200 but holds an alert of another shape (a number for a name, a
missing id, a string for a threshold) is never planned from: a wrong shape read as data
would become a planned delete, an update, or an export that does not validate. What is
checked is only what alertsync reads; fields it does not manage may take any form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Check = Callable[[Any], str | None]  # a value → what is wrong with it, or None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) else "is not a string"


def _id(value: Any) -> str | None:
    return None if isinstance(value, str) and value else "is not a non-empty string"


def _insight(value: Any) -> str | None:
    if _is_int(value) or (isinstance(value, dict) and _is_int(value.get("id"))):
        return None
    return "is neither an insight object with a numeric id nor an insight id"


def _users(value: Any) -> str | None:
    if not isinstance(value, list):
        return "is not a list"
    for user in value:
        if not (_is_int(user) or (isinstance(user, dict) and _is_int(user.get("id")))):
            return "holds an entry that is neither a user object with a numeric id nor a user id"
    return None


def _object(*required: str) -> Check:
    def check(value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            return "is not an object"
        missing = [key for key in required if not isinstance(value.get(key), str)]
        return f"has no {missing[0]} string" if missing else None

    return check


def _threshold(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        return "is not an object"
    if value.get("name") is not None and not isinstance(value["name"], str):
        return "has a name that is not a string"
    configuration = value.get("configuration")
    if not isinstance(configuration, dict) or not isinstance(configuration.get("type"), str):
        return "has no configuration with a type"
    bounds = configuration.get("bounds")
    if bounds is None:
        return None
    if not isinstance(bounds, dict):
        return "has bounds that are not an object"
    wrong = [k for k, v in bounds.items() if v is not None and not _is_number(v)]
    return f"has a bound {wrong[0]!r} that is not a number" if wrong else None


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "is not true or false"


def _optional_boolean(value: Any) -> str | None:
    return None if value is None or isinstance(value, bool) else "is not true, false or null"


REQUIRED: dict[str, Check] = {
    "id": _id,
    "name": _string,
    "insight": _insight,
    "subscribed_users": _users,
    "threshold": _threshold,
    "condition": _object("type"),
    "config": _object("type"),
    "calculation_interval": _string,
    "enabled": _boolean,
}


def _nullable_object(value: Any) -> str | None:
    return None if value is None or isinstance(value, dict) else "is not an object or null"


def _optional_string(value: Any) -> str | None:
    return None if value is None or isinstance(value, str) else "is not a string"


# Fields older servers do not return: checked only when present.
OPTIONAL: dict[str, Check] = {
    "skip_weekend": _optional_boolean,
    "detector_config": _nullable_object,
    "schedule_restriction": _nullable_object,
    "investigation_agent_enabled": _optional_boolean,
    "investigation_gates_notifications": _optional_boolean,
    "investigation_inconclusive_action": _optional_string,
}


def shape_problem(raw: Any) -> str | None:
    """What makes `raw` not a live alert alertsync can read (None: it is one)."""
    if not isinstance(raw, dict):
        return "it is not an object"
    for key, check in REQUIRED.items():
        if key not in raw:
            return f"it has no {key!r}"
        wrong = check(raw[key])
        if wrong:
            return f"its {key!r} {wrong}"
    for key, check in OPTIONAL.items():
        wrong = check(raw[key]) if key in raw else None
        if wrong:
            return f"its {key!r} {wrong}"
    return None
