"""The status report: every alert the files own, per target, and what `--fail-on` makes of it.

The files own alerts by name, within their scope, as for `plan`. A report holds one
`TargetStatus` per PostHog project read (one today; one per environment once environments
exist), so the renderers already take a list of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alertsync.core.desired import DesiredAlert, DesiredSet
from alertsync.core.destination_health import by_alert
from alertsync.core.health import CONDITIONS, AlertStatus, Now, alert_status, missing_status
from alertsync.core.instants import format_instant
from alertsync.model import Target

NOT_READ = "destinations not read"


@dataclass(frozen=True)
class TargetStatus:
    target: Target
    prefix: str | None  # the files' scope
    taken_at: str  # when its alerts were evaluated (UTC), after they were read
    alerts: tuple[AlertStatus, ...]
    unmanaged: int = 0  # live alerts in scope that no file declares
    notes: tuple[str, ...] = ()
    environment: str | None = None  # its name in alertsync.toml, if it is an environment
    error: str | None = None  # why it could not be read (then it has no alerts)

    def count(self, condition: str) -> int:
        return sum(1 for status in self.alerts if condition in status.conditions)


@dataclass(frozen=True)
class StatusReport:
    targets: tuple[TargetStatus, ...]
    timezone: str  # the project timezone used for quiet hours and weekends
    fail_on: tuple[str, ...]  # the conditions that fail the run
    timezone_given: bool = True  # False: the default (UTC), the project's may differ

    def failing(self, status: AlertStatus) -> tuple[str, ...]:
        """The conditions of `status` that `--fail-on` selected."""
        return tuple(c for c in status.conditions if c in self.fail_on)

    @property
    def unread(self) -> tuple[TargetStatus, ...]:
        """The targets that could not be read."""
        return tuple(target for target in self.targets if target.error is not None)

    @property
    def failed(self) -> bool:
        failing = any(self.failing(s) for target in self.targets for s in target.alerts)
        return failing or bool(self.unread)


def owned(desired: DesiredSet, listed: list[dict[str, Any]]) -> tuple[dict[str, list[Any]], int]:
    """Name → the live alerts of that name the files declare (oldest first); and how many
    other live alerts are in the files' scope."""
    found: dict[str, list[Any]] = {}
    others = 0
    for item in sorted(listed, key=lambda a: (str(a.get("created_at") or ""), str(a["id"]))):
        name = item.get("name")
        if isinstance(name, str) and name in desired.alerts:
            found.setdefault(name, []).append(item)
        elif desired.prefix is None or str(name or "").startswith(desired.prefix):
            others += 1
    return found, others


def target_status(
    desired: DesiredSet,
    live: Mapping[str, Sequence[Mapping[str, Any]]],
    functions: Sequence[Mapping[str, Any]] | None,
    target: Target,
    now: Now,
    unmanaged: int = 0,
    notes: tuple[str, ...] = (),
) -> TargetStatus:
    """The status of every alert in `desired`, from its live copies (retrieved with their
    checks) and the project's alert destinations (None: they could not be read)."""
    grouped = by_alert(functions) if functions is not None else None
    statuses: list[AlertStatus] = []
    extra = list(notes)
    for name, wanted in desired.alerts.items():
        source, enabled = _source(wanted), wanted.spec.get("enabled") is not False
        copies = live.get(name, [])
        if not copies:
            statuses.append(missing_status(name, source, enabled))
        if len(copies) > 1:
            ids = ", ".join(str(c.get("id")) for c in copies)
            extra.append(f"{len(copies)} live alerts are named {name!r} ({ids}): each is shown")
        for raw in copies:
            mine = None if grouped is None else grouped.get(str(raw.get("id")), [])
            statuses.append(alert_status(name, source, enabled, raw, mine, now))
    if unmanaged:
        extra.append(f"{unmanaged} other live alert(s) in scope are not in the files")
    taken = format_instant(now.instant)
    return TargetStatus(target, desired.prefix, taken, tuple(statuses), unmanaged, tuple(extra))


def summary(target: TargetStatus) -> dict[str, int]:
    """How many alerts are in each condition (every condition, zeros included)."""
    return {condition: target.count(condition) for condition in CONDITIONS}


def _source(wanted: DesiredAlert) -> str:
    located = wanted.source
    position = located.doc.position(("alerts", located.index))
    return f"{located.doc.file}:{position.line}"
