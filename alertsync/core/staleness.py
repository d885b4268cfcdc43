"""Staleness: does a saved plan's change still fit the live alerts it was computed against?

Pure: a change and the fresh live state in; a refusal (or None) out. A create needs its
name to be free still; an update or a delete needs its live alert to be exactly its `before`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from alertsync.core.diff import changed_fields
from alertsync.model import Canonical, Change, LiveAlert, Result


def fingerprint(spec: Canonical) -> str:
    """A digest of a live alert's managed fields, to see later whether it moved."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"sha256:{hashlib.sha256(text.encode()).hexdigest()}"


def stale_checker(live: list[LiveAlert]) -> Callable[[Change], Result | None]:
    by_id = {alert.id: alert for alert in live}
    by_name: dict[str, LiveAlert] = {}
    for alert in live:
        by_name.setdefault(alert.name, alert)

    def check(change: Change) -> Result | None:
        reason = _reason(change, by_id, by_name)
        return Result(change, "stale", reason) if reason else None

    return check


def _reason(
    change: Change, by_id: dict[str, LiveAlert], by_name: dict[str, LiveAlert]
) -> str | None:
    if change.action == "create":
        twin = by_name.get(change.name)
        if twin is None:
            return None
        return f"an alert named {change.name!r} appeared since the plan (id {twin.id}); plan again"
    current = by_id.get(change.alert_id or "")
    if current is None:
        return "the alert was deleted since the plan; plan again"
    if change.before is not None and fingerprint(current.spec) == fingerprint(change.before):
        return None
    moved = _moved(change, current)
    return f"the alert was edited since the plan ({moved}); plan again"


def _moved(change: Change, current: LiveAlert) -> str:
    before = change.before or {}
    fields = list(changed_fields(before, current.spec))
    if before.get("name") != current.name:
        fields.insert(0, "name")
    return "changed: " + ", ".join(fields) if fields else "its fingerprint differs"
