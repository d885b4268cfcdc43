"""A stand-in for PostHog's alert check task: the check rows and alert fields it leaves.

The emulator never evaluates insights; tests (and seed ``alerts[].checks``) say what a check
found, with :class:`CheckSpec`, and :func:`checked_alert` records it the way the task does:

* a check row with the given state, value, error, points and notification receipts;
* the alert's ``state`` becomes the check's (a disabled alert stays ``Not firing``);
* ``last_checked_at`` is the check time, ``next_check_at`` the next scheduled check after it
  (:func:`~alertsync.emulator.scheduling.next_check_time`, quiet hours included);
* ``last_notified_at`` is the check time when somebody was notified;
* ``last_value`` follows from the newest check.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any

from alertsync.emulator.checks import AlertCheck
from alertsync.emulator.clock import IdFactory, format_datetime, parse_datetime
from alertsync.emulator.scheduling import next_check_time
from alertsync.emulator.stored import NOT_FIRING, STATES, Alert, with_check


@dataclass(frozen=True)
class CheckSpec:
    """What one check found. ``error`` is a message, or a stored error object such as
    ``{"code": "email_unavailable", "message": ...}``; ``targets_notified`` is PostHog's map
    ``{"users": [emails], "destinations": [{"target", "target_id", "template", "status",
    "at"}]}``. A check shows in list items only with non-empty ``triggered_points``."""

    state: str
    calculated_value: float | None = None
    error: str | Mapping[str, Any] | None = None
    at: datetime | str | None = None  # default: now; naive = UTC
    triggered_points: Sequence[int] | None = None
    triggered_dates: Sequence[str] | None = None
    anomaly_scores: Sequence[float | None] | None = None
    interval: str | None = None
    targets_notified: Mapping[str, Any] = field(default_factory=dict)
    investigation_status: str | None = None
    investigation_verdict: str | None = None
    investigation_summary: str | None = None

    def __post_init__(self) -> None:
        if self.state not in STATES:
            raise ValueError(f"unknown alert state {self.state!r}; expected one of {STATES}")
        if isinstance(self.at, str) and parse_datetime(self.at) is None:
            raise ValueError(f"not an ISO datetime: {self.at!r}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> CheckSpec:
        unknown = sorted(set(data) - {spec.name for spec in fields(cls)})
        if unknown:
            raise ValueError(f"unknown check key {unknown[0]!r}")
        if "state" not in data:
            raise ValueError("missing key 'state'")
        return cls(**data)

    def moment(self, now: datetime) -> datetime:
        if self.at is None:
            return now
        moment = parse_datetime(self.at) if isinstance(self.at, str) else self.at
        assert moment is not None  # checked in __post_init__
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def checked_alert(
    alert: Alert, spec: CheckSpec, *, now: datetime, ids: IdFactory, timezone: str
) -> Alert:
    """The alert after a check found ``spec`` (see the module docstring)."""
    moment = spec.moment(now)
    check = _check_row(spec, moment, ids)
    upcoming = next_check_time(
        alert.calculation_interval,
        now=moment,
        timezone=timezone,
        schedule=alert.schedule_restriction,
    )
    updated = replace(
        with_check(alert, check),
        state=spec.state if alert.enabled else NOT_FIRING,
        last_checked_at=check.created_at,
        next_check_at=format_datetime(upcoming),
    )
    if spec.targets_notified:
        updated = replace(updated, last_notified_at=check.created_at)
    return updated


def _check_row(spec: CheckSpec, moment: datetime, ids: IdFactory) -> AlertCheck:
    error = {"message": spec.error} if isinstance(spec.error, str) else spec.error
    notified = dict(spec.targets_notified)
    created_at = format_datetime(moment)
    return AlertCheck(
        id=ids.new(moment),
        created_at=created_at,
        calculated_value=None if spec.calculated_value is None else float(spec.calculated_value),
        state=spec.state,
        error=None if error is None else dict(error),
        targets_notified=notified,
        anomaly_scores=_listed(spec.anomaly_scores),
        triggered_points=_listed(spec.triggered_points),
        triggered_dates=_listed(spec.triggered_dates),
        interval=spec.interval,
        investigation_status=spec.investigation_status,
        investigation_verdict=spec.investigation_verdict,
        investigation_summary=spec.investigation_summary,
        notification_sent_at=created_at if notified else None,
        has_delivery_receipts=bool(notified),
    )


def _listed(values: Sequence[Any] | None) -> list[Any] | None:
    return None if values is None else list(values)
