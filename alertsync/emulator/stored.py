"""Stored alerts and the write semantics of PostHog's serializer (contract §1.3, §1.4, §4).

Alerts are immutable values in storage form (ids for the insight and users, the threshold
row inline). Every write builds a new value, so a reader never sees half an update.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any

from alertsync.emulator.clock import Clock, IdFactory, format_datetime, parse_datetime
from alertsync.emulator.snooze import parse_snooze

FIRING = "Firing"
NOT_FIRING = "Not firing"
SNOOZED = "Snoozed"
STATES = (FIRING, NOT_FIRING, "Errored", SNOOZED)
CHECK_PERIODS = {
    "every_15_minutes": timedelta(minutes=15),
    "hourly": timedelta(hours=1),
    "daily": timedelta(days=1),
    "weekly": timedelta(weeks=1),
    "monthly": timedelta(days=30),
}
INTERVALS = tuple(CHECK_PERIODS)
# Writable fields copied as validated; subscribed_users, threshold, snoozed_until are special.
_PLAIN_FIELDS = (
    "insight",
    "name",
    "condition",
    "enabled",
    "config",
    "detector_config",
    "calculation_interval",
    "skip_weekend",
    "schedule_restriction",
    "investigation_agent_enabled",
    "investigation_gates_notifications",
    "investigation_inconclusive_action",
)
_CREATE_DEFAULTS: dict[str, Any] = {
    "name": "",
    "condition": {},
    "enabled": True,
    "config": {},
    "detector_config": None,
    "calculation_interval": "daily",
    "skip_weekend": False,
    "schedule_restriction": None,
    "investigation_agent_enabled": False,
    "investigation_gates_notifications": False,
    "investigation_inconclusive_action": "notify",
}


@dataclass(frozen=True)
class Threshold:
    id: str
    created_at: str
    name: str
    configuration: Any


@dataclass(frozen=True)
class Alert:
    id: str
    created_by: int
    created_at: str
    insight: int
    name: str
    subscribed_users: tuple[int, ...]
    threshold: Threshold | None
    condition: Any
    state: str
    enabled: bool
    last_notified_at: str | None
    last_checked_at: str | None
    next_check_at: str | None
    config: Any
    detector_config: Any
    calculation_interval: str
    snoozed_until: str | None
    skip_weekend: bool | None
    schedule_restriction: Any
    last_value: float | None
    investigation_agent_enabled: bool
    investigation_gates_notifications: bool
    investigation_inconclusive_action: str

    def to_json(self) -> dict[str, Any]:
        """A shallow JSON-ready dict (nested JSON values are shared, not copied)."""
        data = {name: getattr(self, name) for name in _ALERT_FIELDS}
        data["subscribed_users"] = list(self.subscribed_users)
        if self.threshold is not None:
            data["threshold"] = {name: getattr(self.threshold, name) for name in _THRESHOLD_FIELDS}
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Alert:
        values = dict(data)
        threshold = values.get("threshold")
        values["threshold"] = None if threshold is None else Threshold(**threshold)
        values["subscribed_users"] = tuple(values["subscribed_users"])
        return cls(**values)


_ALERT_FIELDS = tuple(field.name for field in fields(Alert))
_THRESHOLD_FIELDS = tuple(field.name for field in fields(Threshold))


def new_alert(values: Mapping[str, Any], user_id: int, clock: Clock, ids: IdFactory) -> Alert:
    """The alert a POST creates (threshold row first, then the alert, as PostHog does)."""
    threshold = _new_threshold(values["threshold"], clock, ids)
    created = clock.tick()
    optional = {key: values.get(key, default) for key, default in _CREATE_DEFAULTS.items()}
    return Alert(
        id=ids.new(created),
        created_by=user_id,
        created_at=format_datetime(created),
        insight=values["insight"],
        subscribed_users=_user_set(values["subscribed_users"]),
        threshold=threshold,
        state=NOT_FIRING,
        last_notified_at=None,
        last_checked_at=None,
        next_check_at=None,
        snoozed_until=_snooze_on_create(values.get("snoozed_until")),
        last_value=None,
        **optional,
    )


def updated_alert(alert: Alert, values: Mapping[str, Any], clock: Clock, ids: IdFactory) -> Alert:
    """The alert after a PATCH/PUT with validated ``values`` (absent keys stay as they are)."""
    changes: dict[str, Any] = {key: values[key] for key in _PLAIN_FIELDS if key in values}
    if "subscribed_users" in values:
        changes["subscribed_users"] = _user_set(values["subscribed_users"])
    threshold_changed = False
    if "threshold" in values:
        changes["threshold"], threshold_changed = _updated_threshold(
            alert.threshold, values["threshold"], clock, ids
        )
    interval = values.get("calculation_interval", alert.calculation_interval)
    if threshold_changed or interval != alert.calculation_interval:
        changes["next_check_at"] = None  # mark_for_recheck
    if threshold_changed:
        changes["state"] = NOT_FIRING
    if "snoozed_until" in values:
        changes.update(_snooze(values["snoozed_until"], clock.now()))
    return _saved(replace(alert, **changes))


def evaluated_alert(alert: Alert, state: str, now: datetime) -> Alert:
    """The alert after the evaluator checked it at ``now`` and found ``state``."""
    next_check = now + CHECK_PERIODS.get(alert.calculation_interval, timedelta(days=1))
    return replace(
        alert,
        state=state,
        last_checked_at=format_datetime(now),
        next_check_at=format_datetime(next_check),
    )


def _saved(alert: Alert) -> Alert:
    """The model's ``save()``: a disabled alert is never firing."""
    return alert if alert.enabled else replace(alert, state=NOT_FIRING)


def _new_threshold(data: Mapping[str, Any], clock: Clock, ids: IdFactory) -> Threshold:
    created = clock.tick()
    return Threshold(
        id=ids.new(created),
        created_at=format_datetime(created),
        name=data.get("name", ""),
        configuration=data.get("configuration", {}),
    )


def _updated_threshold(
    current: Threshold | None, data: Mapping[str, Any], clock: Clock, ids: IdFactory
) -> tuple[Threshold, bool]:
    """The row updated in place (same id), or a new row when there was none; and whether
    the change resets the alert (a new row, or a different configuration)."""
    if current is None:
        return _new_threshold(data, clock, ids), True
    configuration = data.get("configuration", current.configuration)
    updated = replace(current, name=data.get("name", current.name), configuration=configuration)
    return updated, configuration != current.configuration


def _snooze(value: str | None, now: datetime) -> dict[str, Any]:
    if value is None:
        return {"state": NOT_FIRING, "snoozed_until": None}
    return {"state": SNOOZED, "snoozed_until": format_datetime(parse_snooze(value, now))}


def _snooze_on_create(value: str | None) -> str | None:
    """POST skips the snooze logic: an ISO value is stored, anything else is dropped."""
    moment = parse_datetime(value) if value is not None else None
    return None if moment is None else format_datetime(moment)


def _user_set(user_ids: list[int]) -> tuple[int, ...]:
    return tuple(sorted(set(user_ids)))
