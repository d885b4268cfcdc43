"""Field-level differences between two canonical alerts.

The canonical shapes are small trees of mappings, lists and scalars, so a plain recursive
walk is all a diff needs: mappings by key (a key on one side only is added or removed),
lists by position, anything else by value. Paths are dotted (`threshold.configuration.
bounds.lower`), and the changes of one field come sorted by path.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from alertsync.core.canonical import MANAGED_FIELDS, RESETTING_PATHS
from alertsync.model import ABSENT, Canonical, FieldChange

# Sets are compared whole: a reviewer reads "[a, b] → [a, c]", not index churn.
_WHOLE_FIELDS = ("subscribed_users", "schedule_restriction")


def changed_fields(old: Canonical, new: Canonical) -> tuple[str, ...]:
    return tuple(f for f in MANAGED_FIELDS if old.get(f) != new.get(f))


def field_changes(
    old: Canonical, new: Canonical, fields: tuple[str, ...] | None = None
) -> tuple[FieldChange, ...]:
    """The changes of each changed field (`fields`: the changed fields, when known)."""
    out: list[FieldChange] = []
    for field in changed_fields(old, new) if fields is None else fields:
        before, after = old.get(field), new.get(field)
        if field in _WHOLE_FIELDS or not (isinstance(before, dict) and isinstance(after, dict)):
            out.append(FieldChange(field, before, after))
        else:
            found: list[FieldChange] = []
            _walk((field,), before, after, found)
            out.extend(sorted(found, key=lambda c: c.path))
    return tuple(out)


def _walk(path: tuple[str, ...], before: Any, after: Any, out: list[FieldChange]) -> None:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in before.keys() | after.keys():
            _walk((*path, str(key)), before.get(key, ABSENT), after.get(key, ABSENT), out)
    elif isinstance(before, list) and isinstance(after, list):
        for index in range(max(len(before), len(after))):
            old = before[index] if index < len(before) else ABSENT
            new = after[index] if index < len(after) else ABSENT
            _walk((*path, str(index)), old, new, out)
    elif not _same(before, after):
        out.append(FieldChange(".".join(path), before, after))


def _same(before: Any, after: Any) -> bool:
    """Equal values of the same kind (true is not 1, as PostHog's JSON sees it)."""
    return bool(before == after) and isinstance(before, bool) == isinstance(after, bool)


def reset_note(path: str) -> str | None:
    """What PostHog does to the alert's firing state when the field at `path` changes."""
    for prefix, note in RESETTING_PATHS.items():
        if path == prefix or path.startswith(prefix + "."):
            return note
    return None


def reset_notes(details: Iterable[FieldChange], after: Canonical) -> tuple[str, ...]:
    """The distinct notes of an update's field changes, in order, for an alert that is
    enabled after the update. A disabled one is never checked, and PostHog's disable puts
    it in Not firing anyway: nothing resets or is re-checked that a reviewer would notice,
    whether it is disabled by this change or stays disabled."""
    if after.get("enabled") is False:
        return ()
    notes = (reset_note(d.path) for d in details)
    return tuple(dict.fromkeys(n for n in notes if n))
