"""Staleness: does a saved plan's change still fit the live alerts it was computed against?

Pure: a change and the fresh live state in; a refusal (or None) out. A create needs its
name to be free still; an update or a delete needs its live alert to be exactly its `before`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from alertsync.core.dest_spec import env_url, identity, projected
from alertsync.core.dest_spec import fingerprint as url_fingerprint
from alertsync.core.diff import changed_fields
from alertsync.model import Canonical, Change, DestChange, LiveAlert, LiveDest, Plan, Result


def fingerprint(spec: Canonical | dict[str, Any]) -> str:
    """A digest of a live alert's managed fields, to see later whether it moved."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"sha256:{hashlib.sha256(text.encode()).hexdigest()}"


def stale_checker(
    live: list[LiveAlert], routes: Mapping[str, Sequence[LiveDest]] | None = None
) -> Callable[[Change], Result | None]:
    """`routes`: alert id → its live destinations now (needed when the plan changes any)."""
    by_id = {alert.id: alert for alert in live}
    by_name: dict[str, LiveAlert] = {}
    for alert in live:
        by_name.setdefault(alert.name, alert)

    def check(change: Change) -> Result | None:
        reason = _reason(change, by_id, by_name)
        if reason is None and change.alert_id and change.action == "update":
            have = (routes or {}).get(change.alert_id, ())
            reason = next(filter(None, (_route_reason(d, have) for d in change.destinations)), None)
        return Result(change, "stale", reason) if reason else None

    return check


def _route_reason(route: DestChange, have: Sequence[LiveDest]) -> str | None:
    """Whether a destination change still fits the alert's live destinations."""
    if route.action == "create":
        assert route.after is not None
        twin = next((d for d in have if identity(d.spec) == identity(route.after)), None)
        if twin is None:
            return None
        return (
            f"a destination like the one to add appeared since the plan (id {twin.id}); plan again"
        )
    current = next((d for d in have if d.id == route.dest_id), None)
    if current is None:
        return f"destination {route.dest_id} was removed since the plan; plan again"
    before = route.before or {}
    seen = projected(current.spec, route.after) if route.after is not None else current.spec
    if fingerprint(seen) != fingerprint(before):
        return f"destination {route.dest_id} was changed since the plan; plan again"
    return None


def moved_urls(plan: Plan, env: Mapping[str, str]) -> list[str]:
    """The URL variables whose value is not the one a saved plan was made with (or unset)."""
    moved: set[str] = set()
    for change in plan.changes:
        for route in change.destinations:
            after = route.after or {}
            url, variable = after.get("url"), after.get("url_env")
            if route.cascade or not isinstance(url, dict) or not isinstance(variable, str):
                continue
            value = env_url(env, variable)
            if not value or url_fingerprint(value) != url.get("sha256"):
                moved.add(variable)
    return sorted(moved)


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
