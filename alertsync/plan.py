"""The plan: ordered create / update / delete changes, with the guards that refuse unsafe ones.

Pure: desired and live canonical alerts in, a `Plan` out. One plan serves `plan` and `apply`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from alertsync.canonical import Canonical, write_body
from alertsync.diff import FieldChange, changed_fields, field_changes
from alertsync.errors import PlanRefused
from alertsync.live import Labels, LiveAlert

Action = Literal["create", "update", "delete"]
ACTION_ORDER: dict[str, int] = {"create": 0, "update": 1, "delete": 2}


@dataclass(frozen=True)
class Change:
    action: Action
    name: str
    alert_id: str | None
    before: Canonical | None
    after: Canonical | None
    details: tuple[FieldChange, ...] = ()
    body: dict[str, Any] | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d.path.split(".")[0] for d in self.details))

    @property
    def reset_notes(self) -> tuple[str, ...]:
        notes = (d.reset_note for d in self.details if self.action == "update")
        return tuple(dict.fromkeys(n for n in notes if n))

    @property
    def resets_state(self) -> bool:
        return bool(self.reset_notes)


@dataclass(frozen=True)
class Plan:
    changes: tuple[Change, ...]
    in_scope: int
    out_of_scope: int
    prefix: str | None
    labels: Labels = field(default_factory=Labels)
    files: tuple[str, ...] = ()
    digest: str = ""  # of the input files (see desired.digest)

    def count(self, action: Action) -> int:
        return sum(1 for c in self.changes if c.action == action)

    @property
    def empty(self) -> bool:
        return not self.changes


@dataclass(frozen=True)
class Guards:
    allow_empty: bool = False


def split_scope(live: list[LiveAlert], prefix: str | None) -> tuple[dict[str, LiveAlert], int]:
    """Live alerts this scope owns, by name; refuses two owned alerts with one name."""
    owned: dict[str, LiveAlert] = {}
    outside = 0
    for alert in live:
        if prefix is not None and not alert.name.startswith(prefix):
            outside += 1
            continue
        if alert.name in owned:
            first = owned[alert.name]
            raise PlanRefused(
                f"two live alerts are named {alert.name!r} (ids {first.id} and {alert.id}); "
                "alertsync matches alerts by name, so rename or delete one in PostHog first. "
                "Nothing was changed."
            )
        owned[alert.name] = alert
    return owned, outside


def make_plan(
    desired: Mapping[str, Canonical],
    live: list[LiveAlert],
    prefix: str | None,
    guards: Guards,
    labels: Labels | None = None,
) -> Plan:
    owned, outside = split_scope(live, prefix)
    if not desired and owned and not guards.allow_empty:
        raise PlanRefused(
            f"the files declare no alerts, so every one of the {len(owned)} live alert(s) in "
            "scope would be deleted. If that is really intended, pass --allow-empty."
        )
    changes = [_create(spec) for name, spec in desired.items() if name not in owned]
    for name, spec in desired.items():
        if name in owned:
            update = _update(owned[name], spec)
            if update is not None:
                changes.append(update)
    changes.extend(_delete(alert) for name, alert in owned.items() if name not in desired)
    changes.sort(key=lambda c: (ACTION_ORDER[c.action], c.name))
    return Plan(tuple(changes), len(owned), outside, prefix, labels or Labels())


def _create(spec: Canonical) -> Change:
    return Change("create", spec["name"], None, None, spec, body=write_body(spec))


def _update(live: LiveAlert, spec: Canonical) -> Change | None:
    fields = changed_fields(live.spec, spec)
    if not fields:
        return None
    return Change(
        "update",
        live.name,
        live.id,
        live.spec,
        spec,
        field_changes(live.spec, spec),
        write_body(spec, fields),
    )


def _delete(alert: LiveAlert) -> Change:
    return Change("delete", alert.name, alert.id, alert.spec, None)
