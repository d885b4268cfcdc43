"""The live alerts a desired set owns, by name, and what to do about names used twice.

alertsync matches alerts by name, so two live alerts with one name in scope cannot be
planned: nothing is changed, and the refusal names every such name with all its ids. Two
applies run at once (PostHog has no lock) are the usual cause: their copies are identical.
With `delete_duplicates`, the identical copies of a name are resolved by keeping the oldest
and planning the deletion of the newer ones, through the usual deletion guards; copies
whose managed fields differ are still refused, since no one can tell which is meant.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from alertsync.errors import PlanRefused
from alertsync.model import LiveAlert


@dataclass(frozen=True)
class Scope:
    owned: dict[str, LiveAlert]  # name → the live alert the files own under it
    outside: int  # live alerts outside the scope, left alone
    extra: list[LiveAlert] = field(default_factory=list)  # newer identical copies to delete
    copy_of: dict[str, str] = field(default_factory=dict)  # extra copy id → the kept id


def split_scope(
    live: list[LiveAlert], prefix: str | None, delete_duplicates: bool = False
) -> Scope:
    by_name: dict[str, list[LiveAlert]] = defaultdict(list)
    outside = 0
    for alert in live:
        if prefix is not None and not alert.name.startswith(prefix):
            outside += 1
        else:
            by_name[alert.name].append(alert)
    twins = {name: _oldest_first(alerts) for name, alerts in by_name.items() if len(alerts) > 1}
    unresolved = {
        name: copies
        for name, copies in twins.items()
        if not (delete_duplicates and all(c.spec == copies[0].spec for c in copies))
    }
    if unresolved:
        raise PlanRefused(_refusal(twins, unresolved, delete_duplicates))
    owned = {name: _oldest_first(alerts)[0] for name, alerts in by_name.items()}
    extra = [copy for copies in twins.values() for copy in copies[1:]]
    copy_of = {copy.id: copies[0].id for copies in twins.values() for copy in copies[1:]}
    return Scope(owned, outside, extra, copy_of)


def _oldest_first(alerts: list[LiveAlert]) -> list[LiveAlert]:
    return sorted(alerts, key=lambda a: (a.created_at, a.id))


def _refusal(
    twins: dict[str, list[LiveAlert]], unresolved: dict[str, list[LiveAlert]], asked: bool
) -> str:
    listed = "; ".join(
        f"{name!r} (ids {', '.join(a.id for a in copies)})"
        for name, copies in sorted(unresolved.items())
    )
    identical = sorted(
        name for name, copies in twins.items() if all(c.spec == copies[0].spec for c in copies)
    )
    what = (
        f"{len(unresolved)} name(s) are used by more than one live alert in scope, and "
        f"alertsync matches alerts by name: {listed}."
    )
    if asked:
        advice = " Their copies differ, so none is deleted: rename or delete them in PostHog."
    elif identical:
        advice = (
            f" The copies of {len(identical)} of them are identical (two applies at once?): "
            "--delete-duplicates plans deleting the newer copies. Rename or delete the "
            "others in PostHog."
        )
    else:
        advice = " Rename or delete the extra copies in PostHog first."
    return f"{what}{advice} Nothing was changed."
