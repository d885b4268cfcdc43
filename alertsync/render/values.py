"""How values read to a reviewer: insight short ids and names, member emails, plain scalars."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from alertsync.core import quiet_hours
from alertsync.model import ABSENT, Labels


def scalar(value: Any) -> str:
    if value is ABSENT:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def insight(value: Any, labels: Labels) -> str:
    label = labels.insights.get(value) if isinstance(value, int) else None
    if label is None:
        return f"#{value}" if isinstance(value, int) else scalar(value)
    name = f" {json.dumps(label.name, ensure_ascii=False)}" if label.name else ""
    short = f"{label.short_id}" if label.short_id else ""
    return f"{short}{name} (#{label.id})".strip()


def user(value: Any, labels: Labels) -> str:
    if isinstance(value, int):
        return labels.users.get(value, f"user #{value}")
    return str(value)


def users(value: Any, labels: Labels) -> str:
    if not isinstance(value, list):
        return scalar(value)
    return "[" + ", ".join(user(v, labels) for v in value) + "]"


def field_value(path: str, value: Any, labels: Labels) -> str:
    if path == "insight":
        return insight(value, labels)
    if path == "subscribed_users":
        return users(value, labels)
    if path == "schedule_restriction":
        return ", ".join(f"{a}-{b}" for a, b in quiet_hours.spans(value)) or "none"
    return scalar(value)


def leaves(prefix: str, value: Any) -> Iterator[tuple[str, Any]]:
    """Flatten nested mappings to (dotted path, value), keys sorted (so a plan read back from
    its JSON file renders byte for byte the same); lists and scalars are leaves."""
    if isinstance(value, dict) and value:
        for key, child in sorted(value.items()):
            yield from leaves(f"{prefix}.{key}" if prefix else str(key), child)
    else:
        yield prefix, value
