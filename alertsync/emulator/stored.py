"""Stored alerts and the write semantics of PostHog's serializer (contract §1.3, §1.4, §4).

Alerts are immutable values in storage form (ids for the insight and users, the threshold
row and the check rows inline). Every write builds a new value, so a reader never sees half
an update. ``last_value`` is not stored: it is the newest check's ``calculated_value``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from alertsync.emulator.checks import AlertCheck
from alertsync.emulator.clock import Clock, IdFactory, format_datetime, parse_datetime
from alertsync.emulator.relative_dates import parse_snooze
from alertsync.emulator.scheduling import next_check_time

FIRING = "Firing"
NOT_FIRING = "Not firing"
SNOOZED = "Snoozed"
ERRORED = "Errored"
STATES = (FIRING, NOT_FIRING, ERRORED, SNOOZED)
INTERVALS = ("real_time", "every_15_minutes", "hourly", "daily", "weekly", "monthly")
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
    investigation_agent_enabled: bool
    investigation_gates_notifications: bool
    investigation_inconclusive_action: str
    checks: tuple[AlertCheck, ...] = ()  # oldest first

    @property
    def last_value(self) -> float | None:
        """The newest check's ``calculated_value`` (S annotates it from the latest check)."""
        newest = max(self.checks, key=lambda check: check.moment, default=None)
        return None if newest is None else newest.calculated_value

    def to_json(self) -> dict[str, Any]:
        """A shallow JSON-ready dict (nested JSON values are shared, not copied)."""
        data = {name: getattr(self, name) for name in _ALERT_FIELDS}
        data["subscribed_users"] = list(self.subscribed_users)
        if self.threshold is not None:
            data["threshold"] = {name: getattr(self.threshold, name) for name in _THRESHOLD_FIELDS}
        data["checks"] = [check.to_json() for check in self.checks]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Alert:
        """Also reads version-1 state (a stored ``last_value``, no checks)."""
        values = dict(data)
        values.pop("last_value", None)
        threshold = values.get("threshold")
        values["threshold"] = None if threshold is None else Threshold(**threshold)
        values["subscribed_users"] = tuple(values["subscribed_users"])
        values["checks"] = tuple(AlertCheck.from_json(item) for item in values.get("checks", []))
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
        **optional,
    )


def updated_alert(
    alert: Alert, values: Mapping[str, Any], clock: Clock, ids: IdFactory, timezone: str
) -> Alert:
    """The alert after a PATCH/PUT with validated ``values`` (absent keys stay as they are),
    in S ``update()``'s order: enable, threshold and interval reset, snooze, disable, the
    snooze check row, save, then the quiet-hours recompute of ``next_check_at``."""
    changes: dict[str, Any] = {}
    if values.get("enabled") is True and not alert.enabled:
        changes["state"] = NOT_FIRING  # apply_enable
    if "threshold" in values:
        changes["threshold"], threshold_changed = _updated_threshold(
            alert.threshold, values["threshold"], clock, ids
        )
        if threshold_changed:
            changes["state"] = NOT_FIRING  # apply_threshold_change
    else:
        threshold_changed = False
    interval = values.get("calculation_interval", alert.calculation_interval)
    if threshold_changed or interval != alert.calculation_interval:
        changes["next_check_at"] = None  # mark_for_recheck
    if "snoozed_until" in values:
        changes.update(_snooze(values["snoozed_until"], clock.now()))
    if not values.get("enabled", alert.enabled):
        changes["state"] = NOT_FIRING  # apply_disable
    updated = replace(alert, **changes)
    if "snoozed_until" in values:
        updated = with_check(updated, _snooze_check(updated.state, clock, ids))
    updated = _saved(_with_fields(updated, values))
    if (
        "schedule_restriction" in values
        and values["schedule_restriction"] != alert.schedule_restriction
    ):
        moment = next_check_time(
            updated.calculation_interval,
            now=clock.now(),
            timezone=timezone,
            schedule=updated.schedule_restriction,
        )
        updated = replace(updated, next_check_at=format_datetime(moment))
    return updated


def _with_fields(alert: Alert, values: Mapping[str, Any]) -> Alert:
    changes: dict[str, Any] = {key: values[key] for key in _PLAIN_FIELDS if key in values}
    if "subscribed_users" in values:
        changes["subscribed_users"] = _user_set(values["subscribed_users"])
    return replace(alert, **changes)


def with_check(alert: Alert, check: AlertCheck) -> Alert:
    """The alert with one more check row (kept oldest first)."""
    checks = sorted((*alert.checks, check), key=lambda row: row.moment)
    return replace(alert, checks=tuple(checks))


def _snooze_check(state: str, clock: Clock, ids: IdFactory) -> AlertCheck:
    """The row S writes for a snooze or unsnooze: no value, the new state, nobody notified."""
    created = clock.tick()
    return AlertCheck(
        id=ids.new(created), created_at=format_datetime(created), calculated_value=None, state=state
    )


def evaluated_alert(alert: Alert, state: str, now: datetime, timezone: str) -> Alert:
    """The alert after the evaluator checked it at ``now`` and found ``state``."""
    moment = next_check_time(
        alert.calculation_interval, now=now, timezone=timezone, schedule=alert.schedule_restriction
    )
    return _saved(
        replace(
            alert,
            state=state,
            last_checked_at=format_datetime(now),
            next_check_at=format_datetime(moment),
        )
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
