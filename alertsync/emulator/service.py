"""Alert operations: look-up, validation, write semantics and storage, under one lock.

The HTTP views, the seed's bootstrap alerts and the test hooks all go through here, so a
write is validated against the same state it is applied to.

Look-ups see what PostHog's queryset shows the requesting key (contract §3.1): alerts on
insights its user cannot view, and — for keys without a metrics scope — alerts on
MetricsQuery insights, are hidden (404 on detail routes, absent from the list).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from alertsync.emulator.alert_filters import NO_FILTER, AlertFilter, search
from alertsync.emulator.clock import Clock, IdFactory, format_datetime, parse_datetime
from alertsync.emulator.evaluator import CheckSpec, checked_alert
from alertsync.emulator.insight_gates import is_metrics_insight, lacks_metrics_scope
from alertsync.emulator.pagination import Window
from alertsync.emulator.refusals import not_found
from alertsync.emulator.rules import WriteContext, validate_write
from alertsync.emulator.seed import ApiKey, Seed
from alertsync.emulator.store import AlertStore
from alertsync.emulator.stored import STATES, Alert, evaluated_alert, new_alert, updated_alert

_UNSET: Any = object()


@dataclass(frozen=True)
class Found:
    """An alert a look-up returned; ``match_type`` when it was found by ``?search=``."""

    alert: Alert
    match_type: str | None = None


def canonical_alert_id(text: str) -> str | None:
    """The canonical form of a UUID path value (any spelling ``uuid.UUID`` reads)."""
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


class AlertService:
    def __init__(self, seed: Seed, store: AlertStore, clock: Clock, ids: IdFactory) -> None:
        self._seed = seed
        self._store = store
        self._clock = clock
        self._ids = ids
        self._delete_listeners: list[Callable[[Alert], None]] = []

    def add_delete_listener(self, listener: Callable[[Alert], None]) -> None:
        """``listener(alert)`` runs under the store lock right after a delete (the cascade)."""
        self._delete_listeners.append(listener)

    @property
    def clock(self) -> Clock:
        return self._clock

    # -- reads -----------------------------------------------------------------------------

    def page(
        self, window: Window, where: AlertFilter = NO_FILTER, key: ApiKey | None = None
    ) -> tuple[int, list[Found]]:
        """One page of the alerts ``key`` sees through ``where``, in PostHog's order."""
        visible = self._visibility(key)
        if where == NO_FILTER:
            count, alerts = self._store.page(window.offset, window.limit, visible)
            return count, [Found(alert) for alert in alerts]
        found = self.select(where, key)
        return len(found), found[window.offset : window.offset + window.limit]

    def select(self, where: AlertFilter, key: ApiKey | None = None) -> list[Found]:
        visible = self._visibility(key)
        alerts = [
            alert
            for alert in self._store.newest_first()
            if (visible is None or visible(alert)) and where.matches(alert, self._seed)
        ]
        if where.search is None:
            return [Found(alert) for alert in alerts]
        return [Found(item.alert, item.match_type) for item in search(alerts, where.search)]

    def all(self) -> list[Alert]:
        return self._store.newest_first()

    def get(
        self, alert_id: str, where: AlertFilter = NO_FILTER, key: ApiKey | None = None
    ) -> Found:
        """The alert, or a 404 ``ApiError`` for a malformed, unknown, hidden or filtered-out id."""
        canonical = canonical_alert_id(alert_id)
        alert = None if canonical is None else self._store.get(canonical)
        visible = self._visibility(key)
        if alert is None or (visible is not None and not visible(alert)):
            raise not_found()
        if where == NO_FILTER:
            return Found(alert)
        for found in self.select(where, key):
            if found.alert.id == alert.id:
                return found
        raise not_found()

    def _visibility(self, key: ApiKey | None) -> Callable[[Alert], bool] | None:
        """``None`` when ``key`` sees every alert, else the test of one alert."""
        user_id = None if key is None else key.user_id
        hidden = {
            insight.id
            for insight in self._seed.insights.values()
            if not self._seed.can_view(user_id, insight)
            or (is_metrics_insight(insight) and lacks_metrics_scope(key))
        }
        return (lambda alert: alert.insight not in hidden) if hidden else None

    # -- writes ----------------------------------------------------------------------------

    def create(self, body: Any, user_id: int, key: ApiKey | None = None) -> Alert:
        with self._store.locked():
            values = validate_write(body, self._context("POST", None, key, user_id))
            alert = new_alert(values, user_id, self._clock, self._ids)
            self._store.insert(alert)
            return alert

    def update(
        self,
        alert_id: str,
        body: Any,
        method: str,
        where: AlertFilter = NO_FILTER,
        key: ApiKey | None = None,
    ) -> Found:
        """PUT (``method="PUT"``, required fields enforced) or PATCH."""
        with self._store.locked():
            found = self.get(alert_id, where, key)
            user_id = None if key is None else key.user_id
            values = validate_write(body, self._context(method, found.alert, key, user_id))
            alert = updated_alert(found.alert, values, self._clock, self._ids, self._seed.timezone)
            self._store.replace(alert)
            return Found(alert, found.match_type)

    def delete(
        self, alert_id: str, where: AlertFilter = NO_FILTER, key: ApiKey | None = None
    ) -> None:
        with self._store.locked():
            alert = self.get(alert_id, where, key).alert
            self._store.remove(alert.id)
            for listener in self._delete_listeners:
                listener(alert)

    def _context(
        self, method: str, current: Alert | None, key: ApiKey | None, user_id: int | None
    ) -> WriteContext:
        return WriteContext(
            seed=self._seed,
            method=method,
            current=current,
            alert_count=self._store.count(),
            team_alerts=self._store.newest_first,
            key=key,
            user_id=user_id,
        )

    # -- the evaluator's side (test hooks) -----------------------------------------------

    def set_state(self, alert_id: str, state: str) -> Alert:
        """Simulate the evaluator: set ``state``, ``last_checked_at`` and ``next_check_at``."""
        if state not in STATES:
            raise ValueError(f"unknown alert state {state!r}; expected one of {STATES}")
        return self._change(
            alert_id,
            lambda alert: evaluated_alert(alert, state, self._clock.now(), self._seed.timezone),
        )

    def record_check(self, alert_id: str, spec: CheckSpec) -> Alert:
        def record(alert: Alert) -> Alert:
            now = self._clock.now()
            return checked_alert(alert, spec, now=now, ids=self._ids, timezone=self._seed.timezone)

        return self._change(alert_id, record)

    def set_check_times(
        self, alert_id: str, last_checked_at: Any = _UNSET, next_check_at: Any = _UNSET
    ) -> Alert:
        """Set ``last_checked_at`` / ``next_check_at`` (datetimes, ISO strings or ``None``)."""

        def change(alert: Alert) -> Alert:
            if last_checked_at is not _UNSET:
                alert = replace(alert, last_checked_at=_timestamp(last_checked_at))
            if next_check_at is not _UNSET:
                alert = replace(alert, next_check_at=_timestamp(next_check_at))
            return alert

        return self._change(alert_id, change)

    def _change(self, alert_id: str, change: Callable[[Alert], Alert]) -> Alert:
        with self._store.locked():
            current = self._store.get(canonical_alert_id(alert_id) or alert_id)
            if current is None:
                raise KeyError(alert_id)
            alert = change(current)
            self._store.replace(alert)
            return alert


def _timestamp(value: Any) -> str | None:
    """A hook's time as DRF renders it; naive datetimes are UTC."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    if moment is None:
        raise ValueError(f"not an ISO datetime: {value!r}")
    return format_datetime(moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC))
