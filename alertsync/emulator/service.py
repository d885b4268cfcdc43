"""Alert operations: look-up, validation, write semantics and storage, under one lock.

The HTTP views, the seed's bootstrap alerts and the test hooks all go through here, so a
write is validated against the same state it is applied to.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from alertsync.emulator.clock import Clock, IdFactory
from alertsync.emulator.pagination import Window
from alertsync.emulator.refusals import not_found
from alertsync.emulator.rules import WriteContext, validate_write
from alertsync.emulator.seed import Seed
from alertsync.emulator.store import AlertStore
from alertsync.emulator.stored import STATES, Alert, evaluated_alert, new_alert, updated_alert


@dataclass(frozen=True)
class AlertFilter:
    """``?insight=`` / ``?insight_id=``: keep alerts on these insights (all must match)."""

    insight_ids: tuple[int, ...] = ()

    def matches(self, alert: Alert) -> bool:
        return all(alert.insight == insight_id for insight_id in self.insight_ids)

    @property
    def predicate(self) -> Callable[[Alert], bool] | None:
        return self.matches if self.insight_ids else None


NO_FILTER = AlertFilter()


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

    def page(self, window: Window, where: AlertFilter = NO_FILTER) -> tuple[int, list[Alert]]:
        return self._store.page(window.offset, window.limit, where.predicate)

    def all(self) -> list[Alert]:
        return self._store.newest_first()

    def get(self, alert_id: str, where: AlertFilter = NO_FILTER) -> Alert:
        """The alert, or a 404 ``ApiError`` for a malformed, unknown or filtered-out id."""
        canonical = canonical_alert_id(alert_id)
        alert = None if canonical is None else self._store.get(canonical)
        if alert is None or not where.matches(alert):
            raise not_found()
        return alert

    def create(self, body: Any, user_id: int) -> Alert:
        with self._store.locked():
            context = WriteContext(self._seed, "POST", None, self._store.count())
            values = validate_write(body, context)
            alert = new_alert(values, user_id, self._clock, self._ids)
            self._store.insert(alert)
            return alert

    def update(self, alert_id: str, body: Any, method: str, where: AlertFilter) -> Alert:
        """PUT (``method="PUT"``, required fields enforced) or PATCH."""
        with self._store.locked():
            current = self.get(alert_id, where)
            context = WriteContext(self._seed, method, current, self._store.count())
            values = validate_write(body, context)
            alert = updated_alert(current, values, self._clock, self._ids)
            self._store.replace(alert)
            return alert

    def delete(self, alert_id: str, where: AlertFilter = NO_FILTER) -> None:
        with self._store.locked():
            alert = self.get(alert_id, where)
            self._store.remove(alert.id)
            for listener in self._delete_listeners:
                listener(alert)

    def set_state(self, alert_id: str, state: str) -> Alert:
        """Simulate the evaluator: set ``state``, ``last_checked_at`` and ``next_check_at``."""
        if state not in STATES:
            raise ValueError(f"unknown alert state {state!r}; expected one of {STATES}")
        with self._store.locked():
            current = self._store.get(canonical_alert_id(alert_id) or alert_id)
            if current is None:
                raise KeyError(alert_id)
            alert = evaluated_alert(current, state, self._clock.now())
            self._store.replace(alert)
            return alert
