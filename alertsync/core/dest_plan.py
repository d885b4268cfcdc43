"""An alert's destinations: the desired ones against the live ones → destination changes.

Pure. A desired destination matches the live one with the same identity (Slack workspace and
channel; the URL of the others); the rest of one kind are paired as changes (a new channel is
one change, not a new hog function); what is left is added or removed. Two live destinations
with one identity are never both kept: the newer copy is removed.
"""

from __future__ import annotations

from collections.abc import Sequence

from alertsync.core.dest_spec import compared, identity, owned_keys, projected
from alertsync.model import ABSENT, Action, Dest, DestChange, FieldChange, LiveDest


def dest_details(before: Dest, after: Dest) -> tuple[FieldChange, ...]:
    """What an update changes: each key the file owns whose value differs."""
    out: list[FieldChange] = []
    for key in owned_keys(after):
        old = before.get(key, ABSENT)
        if not _same(compared(old), compared(after[key])):
            out.append(FieldChange(key, old, after[key]))
    return tuple(out)


def _same(old: object, new: object) -> bool:
    """Equal as PostHog's JSON sees it, at any depth: true is not 1, 1 is not 1.0 only when
    one is a bool."""
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(_same(old[k], new[k]) for k in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    return old == new and isinstance(old, bool) == isinstance(new, bool)


def build_dest_change(
    action: Action,
    dest_id: str | None,
    before: Dest | None,
    after: Dest | None,
    cascade: bool = False,
) -> DestChange:
    """A destination change from its action and the destination before and after (a saved
    plan is rebuilt with this, so its details can only be what those imply)."""
    if action == "create" and after is not None and before is None:
        return DestChange("create", str(after.get("type")), None, None, after)
    if action == "delete" and before is not None and after is None:
        return DestChange("delete", str(before.get("type")), dest_id, before, None, (), cascade)
    if action == "update" and before is not None and after is not None:
        details = dest_details(before, after)
        return DestChange("update", str(after.get("type")), dest_id, before, after, details)
    raise ValueError(f"a destination {action} does not fit its before and after")


def _fit(have: LiveDest, want: Dest) -> tuple[int, int]:
    """Which of several live copies of one destination to keep: one already as the file
    wants it, else an enabled one (the others are removed)."""
    changes = len(dest_details(projected(have.spec, want), want))
    return (changes, 0 if have.spec.get("enabled") is not False else 1)


def destination_changes(desired: Sequence[Dest], live: Sequence[LiveDest]) -> list[DestChange]:
    """Creates, then changes, then removals, that make `live` match `desired`."""
    left = list(live)
    pairs: list[tuple[LiveDest, Dest]] = []
    unmatched: list[Dest] = []
    for want in desired:
        twins = [have for have in left if identity(have.spec) == identity(want)]
        same = min(twins, key=lambda have: _fit(have, want), default=None)
        if same is None:
            unmatched.append(want)
        else:
            left.remove(same)
            pairs.append((same, want))
    creates: list[Dest] = []
    for want in unmatched:
        kin = next((have for have in left if have.spec.get("type") == want.get("type")), None)
        if kin is None:
            creates.append(want)
        else:
            left.remove(kin)
            pairs.append((kin, want))
    changes = [build_dest_change("create", None, None, want) for want in creates]
    for have, want in pairs:
        update = build_dest_change("update", have.id, projected(have.spec, want), want)
        if update.details:
            changes.append(update)
    changes.extend(build_dest_change("delete", have.id, have.spec, None) for have in left)
    return changes


def cascaded(live: Sequence[LiveDest]) -> tuple[DestChange, ...]:
    """The destinations that go with a deleted alert (PostHog removes them itself)."""
    return tuple(build_dest_change("delete", d.id, d.spec, None, cascade=True) for d in live)
