"""The plan: ordered create / update / delete changes, with the guards that refuse unsafe ones.

Pure: desired and live canonical alerts in, a `Plan` out. One plan serves `plan` and `apply`.

Guards: `make_plan` refuses two live alerts with one name in scope, and an empty desired set
that would delete live alerts (unless `allow_empty`). `check_deletes` refuses a plan that
deletes more than `max_deletes` alerts, or more than half of the live alerts in scope (when
it deletes more than one), unless `allow_mass_delete`; the refusal names every delete.
`allow_empty` answers the share guard for an empty desired set (deleting everything is what
it allows), but not `max_deletes`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from alertsync.core.canonical import write_body
from alertsync.core.dest_plan import cascaded, destination_changes
from alertsync.core.diff import changed_fields, field_changes, reset_notes
from alertsync.core.duplicates import split_scope
from alertsync.errors import MassDeleteRefused, PlanRefused
from alertsync.model import (
    ACTION_ORDER,
    Action,
    Canonical,
    Change,
    Dest,
    DestChange,
    Guards,
    Labels,
    LiveAlert,
    LiveDest,
    Plan,
)

NAMED_IN_REFUSALS = 50


def make_plan(
    desired: Mapping[str, Canonical],
    live: list[LiveAlert],
    prefix: str | None,
    guards: Guards,
    labels: Labels | None = None,
    destinations: Mapping[str, Sequence[Dest]] | None = None,
    live_destinations: Mapping[str, Sequence[LiveDest]] | None = None,
) -> Plan:
    """`destinations`: alert name → its desired destinations, for the alerts whose files
    declare them (the others' are left alone); `live_destinations`: alert id → its live
    ones (needed when `destinations` is given)."""
    wanted = destinations or {}
    have = live_destinations or {}
    scope = split_scope(live, prefix, guards.delete_duplicates)
    owned = scope.owned
    if not desired and owned and not guards.allow_empty:
        names = sorted(owned)
        shown = ", ".join(repr(n) for n in names[:NAMED_IN_REFUSALS])
        more = (
            f" and {len(names) - NAMED_IN_REFUSALS} more" if len(names) > NAMED_IN_REFUSALS else ""
        )
        raise PlanRefused(
            f"the files declare no alerts, so every one of the {len(owned)} live alert(s) in "
            f"scope would be deleted ({shown}{more}). If that is really intended, pass "
            "--allow-empty."
        )
    changes = [
        _create(spec, wanted.get(name, ())) for name, spec in desired.items() if name not in owned
    ]
    for name, spec in desired.items():
        if name in owned:
            current = owned[name]
            routes = (
                destination_changes(wanted[name], have.get(current.id, ()))
                if name in wanted
                else []
            )
            update = _update(current, spec, tuple(routes))
            if update is not None:
                changes.append(update)
    changes.extend(
        _delete(alert, have.get(alert.id, ()))
        for name, alert in owned.items()
        if name not in desired
    )
    changes.extend(_delete(copy, have.get(copy.id, ())) for copy in scope.extra)
    changes.sort(key=lambda c: (ACTION_ORDER[c.action], c.name, c.alert_id or ""))
    in_scope = len(owned) + len(scope.extra)
    plan = Plan(tuple(changes), in_scope, scope.outside, prefix, labels or Labels())
    return replace(plan, copy_of=scope.copy_of, destinations_read=live_destinations is not None)


def build_change(
    action: Action,
    name: str,
    alert_id: str | None,
    before: Canonical | None,
    after: Canonical | None,
    destinations: tuple[DestChange, ...] = (),
) -> Change:
    """A change from what a reviewer decides on: its action and the alert before and after.
    Everything else (the field details, the request body, the notes) follows from those, so
    a saved plan is rebuilt with this too, and can only send what its changes imply. An
    update that changes only the alert's destinations sends nothing for the alert."""
    if action == "create" and after is not None:
        return Change(
            "create", name, None, None, after, body=write_body(after), destinations=destinations
        )
    if action == "delete" and before is not None:
        return Change("delete", name, alert_id, before, None, destinations=destinations)
    if action == "update" and before is not None and after is not None:
        fields = changed_fields(before, after)
        details = field_changes(before, after, fields)
        body = write_body(after, fields) if fields else None
        notes = reset_notes(details, after)
        return Change("update", name, alert_id, before, after, details, body, notes, destinations)
    raise ValueError(f"a {action} needs {'after' if action == 'create' else 'before and after'}")


def _create(spec: Canonical, routes: Sequence[Dest]) -> Change:
    adds = tuple(destination_changes(routes, ()))
    return build_change("create", spec["name"], None, None, spec, adds)


def _update(live: LiveAlert, spec: Canonical, routes: tuple[DestChange, ...]) -> Change | None:
    if not routes and (live.spec == spec or not changed_fields(live.spec, spec)):
        return None  # (equal specs: one comparison in C, the common case of a large plan)
    return build_change("update", live.name, live.id, live.spec, spec, routes)


def _delete(alert: LiveAlert, routes: Sequence[LiveDest]) -> Change:
    return build_change("delete", alert.name, alert.id, alert.spec, None, cascaded(routes))


def mass_delete_reasons(plan: Plan, guards: Guards) -> list[str]:
    """Why the plan's deletes are a mass delete (empty: they are not)."""
    deletes = len(plan.deletes)
    reasons: list[str] = []
    if deletes > guards.max_deletes:
        reasons.append(f"more than --max-deletes {guards.max_deletes}")
    wipe_allowed = guards.allow_empty and plan.deletes_everything
    if deletes > 1 and deletes * 2 > plan.in_scope and not wipe_allowed:
        reasons.append(f"more than half of the {plan.in_scope} live alert(s) in scope")
    return reasons


def check_deletes(plan: Plan, guards: Guards) -> None:
    """Refuse a mass delete unless `allow_mass_delete`; the refusal names every delete."""
    reasons = [] if guards.allow_mass_delete else mass_delete_reasons(plan, guards)
    if not reasons:
        return
    names = ", ".join(repr(c.name) for c in sorted(plan.deletes, key=lambda c: c.name))
    raise MassDeleteRefused(
        f"the plan deletes {len(plan.deletes)} alert(s), {' and '.join(reasons)}: {names}. "
        "Nothing was changed. Check that no alert file is missing; if these deletes are "
        "intended, pass --allow-mass-delete.",
        plan,
    )
