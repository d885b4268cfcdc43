"""Field-level differences between two canonical alerts (deepdiff on the canonical shapes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from deepdiff import DeepDiff

from alertsync.core.canonical import MANAGED_FIELDS, RESETTING_PATHS, Canonical


class _Absent:
    """A value that is not there (a key added or removed), as opposed to null."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Any = _Absent()

# Lists are compared whole: a reviewer reads "[a, b] → [a, c]", not index churn.
_WHOLE_FIELDS = ("subscribed_users",)


@dataclass(frozen=True)
class FieldChange:
    path: str  # dotted, e.g. "threshold.configuration.bounds.lower"
    old: Any
    new: Any

    @property
    def reset_note(self) -> str | None:
        """What PostHog does to the alert's firing state when this field changes."""
        for prefix, note in RESETTING_PATHS.items():
            if self.path == prefix or self.path.startswith(prefix + "."):
                return note
        return None

    @property
    def resets_state(self) -> bool:
        return self.reset_note is not None


def changed_fields(old: Canonical, new: Canonical) -> tuple[str, ...]:
    return tuple(f for f in MANAGED_FIELDS if old.get(f) != new.get(f))


def field_changes(old: Canonical, new: Canonical) -> tuple[FieldChange, ...]:
    out: list[FieldChange] = []
    for field in changed_fields(old, new):
        before, after = old.get(field), new.get(field)
        if field in _WHOLE_FIELDS or not (isinstance(before, dict) and isinstance(after, dict)):
            out.append(FieldChange(field, before, after))
        else:
            out.extend(_leaf_changes(field, before, after))
    return tuple(out)


def _leaf_changes(field: str, before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    diff = DeepDiff(before, after, view="tree", verbose_level=2)
    out: list[FieldChange] = []
    for items in diff.values():
        for item in items:
            parts = [str(p) for p in item.path(output_format="list")]
            old = ABSENT if _missing(item.t1) else item.t1
            new = ABSENT if _missing(item.t2) else item.t2
            out.append(FieldChange(".".join([field, *parts]), old, new))
    return sorted(out, key=lambda c: c.path)


def _missing(value: Any) -> bool:
    return type(value).__name__ == "NotPresent"
