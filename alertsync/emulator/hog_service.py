"""Hog-function operations: look-up, writes, soft delete and the alert cascade, under one lock.

Functions live beside the alerts: they share the alert store's lock (so an alert delete and
its destinations' soft delete are one step) and its state file (section ``hog_functions``).
Soft-deleted functions are kept; only the undo (PATCH ``{"deleted": false}``) and the test
hooks see them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from alertsync.emulator.clock import Clock, IdFactory, format_datetime, parse_datetime
from alertsync.emulator.destination_seed import Features
from alertsync.emulator.hog_filters import INSIGHT_ALERT_EVENT, contains
from alertsync.emulator.hog_inputs import split_secrets
from alertsync.emulator.hog_rules import HogWriteContext, validate_hog_write
from alertsync.emulator.hog_stored import HogFunction, saved
from alertsync.emulator.hog_templates import DESTINATION_KINDS
from alertsync.emulator.refusals import SERVER, ApiError, not_found
from alertsync.emulator.service import canonical_alert_id
from alertsync.emulator.store import AlertStore

STALE_UPDATE = (
    "This function changed since you previewed the publish, either the draft or the live "
    "config. Preview again to see where things stand now."
)
SECTION = "hog_functions"


def stale_update() -> ApiError:
    """``StaleHogFunctionUpdateError``: a plain ``APIException``, which drf-exceptions-hog
    types ``server_error`` whatever its status."""
    return ApiError(409, SERVER, "stale_update", STALE_UPDATE)


class HogFunctionService:
    def __init__(self, store: AlertStore, clock: Clock, ids: IdFactory, features: Features) -> None:
        self._store = store
        self._clock = clock
        self._ids = ids
        self._features = features
        self._functions: dict[str, HogFunction] = {}
        store.add_section(SECTION, self._dump, self._restore)

    # -- reads -------------------------------------------------------------------------------

    def all(self, include_deleted: bool = False) -> list[HogFunction]:
        """In creation order."""
        with self._store.locked():
            functions = list(self._functions.values())
        return [f for f in functions if include_deleted or not f.deleted]

    def get(self, function_id: str, include_deleted: bool = False) -> HogFunction:
        """The function, or a 404 ``ApiError`` (malformed, unknown or soft-deleted id)."""
        canonical = canonical_alert_id(function_id)
        with self._store.locked():
            found = self._functions.get(canonical) if canonical else None
        if found is None or (found.deleted and not include_deleted):
            raise not_found()
        return found

    def owned_by(self, alert_id: str) -> list[HogFunction]:
        """An insight alert's destinations as the alert API finds them (``logic/destinations``
        ``owned_alert_destinations_qs``): not deleted, one of the destination templates, filters
        containing the ``$insight_alert_firing`` event and the ``alert_id`` property."""
        return [
            function
            for function in self.all()
            if function.template_id in DESTINATION_KINDS
            and contains(function.filters, _event_filter())
            and contains(function.filters, _alert_filter(alert_id))
        ]

    # -- writes ------------------------------------------------------------------------------

    def create(self, body: Any, user_id: int | None, trusted: bool = False) -> HogFunction:
        context = self._context(None, trusted)
        values = validate_hog_write(body, context)
        with self._store.locked():
            created = self._clock.tick()
            stamp = format_datetime(created)
            schema = values.get("inputs_schema", [])
            plain, secret = split_secrets(values.get("inputs", {}), schema, {})
            function = HogFunction(
                id=self._ids.new(created),
                type=values.get("type"),
                name=values.get("name"),
                description=values.get("description", ""),
                created_at=stamp,
                created_by=user_id,
                updated_at=stamp,
                enabled=bool(values.get("enabled", False)),
                deleted=bool(values.get("deleted", False)),
                hog=values["hog"],
                bytecode=values.get("bytecode"),
                inputs_schema=schema,
                inputs=plain,
                encrypted_inputs=secret,
                filters=values.get("filters", {}),
                masking=values.get("masking"),
                mappings=values.get("mappings"),
                icon_url=values.get("icon_url"),
                template_id=values.get("template_id"),
                execution_order=values.get("execution_order"),
                version=1,
            )
            self._put(function)
            return function

    def update(self, function_id: str, body: Any) -> HogFunction:
        """PATCH and PUT (PostHog requires no field on PUT either)."""
        undeleting = isinstance(body, dict) and body.get("deleted") is False
        with self._store.locked():
            current = self.get(function_id, include_deleted=undeleting)
            values = validate_hog_write(body, self._context(current, False))
            base = values.pop("base_updated_at", None)
            if base is not None and _after(current.updated_at, base):
                raise stale_update()
            function = self._apply(current, values)
            self._put(function)
            return function

    def _apply(self, current: HogFunction, values: dict[str, Any]) -> HogFunction:
        changes = {key: values[key] for key in _PLAIN if key in values}
        schema = values.get("inputs_schema", current.inputs_schema)
        inputs = values.get("inputs", current.inputs)
        plain, secret = split_secrets(inputs, schema, current.encrypted_inputs)
        stamp = format_datetime(self._clock.tick())
        updated = replace(
            current, **changes, inputs=plain, encrypted_inputs=secret, updated_at=stamp
        )
        return saved(current, updated)

    def soft_delete(self, functions: Iterable[HogFunction]) -> list[HogFunction]:
        """``deleted=True, enabled=False`` (a queryset ``update()``: ``updated_at`` unchanged)."""
        done: list[HogFunction] = []
        with self._store.locked():
            for function in functions:
                gone = replace(function, deleted=True, enabled=False)
                self._functions[gone.id] = gone
                done.append(gone)
            if done:
                self._store.save()
        return done

    def cascade_alert_delete(self, alert_id: str) -> list[HogFunction]:
        """The alert's ``pre_delete`` cleanup (contract §7): every non-deleted
        ``internal_destination`` whose filters hold ``alert_id == <alert id>``."""
        doomed = [
            function
            for function in self.all()
            if function.type == "internal_destination"
            and contains(function.filters, _alert_filter(alert_id))
        ]
        return self.soft_delete(doomed)

    def change(self, function_id: str, mutate: Callable[[HogFunction], HogFunction]) -> HogFunction:
        """A test hook's change (the CDP, not a user): stored as is, no version bump."""
        with self._store.locked():
            function = mutate(self.get(function_id, include_deleted=True))
            self._put(function)
            return function

    # -- storage -----------------------------------------------------------------------------

    def _context(self, current: HogFunction | None, trusted: bool) -> HogWriteContext:
        return HogWriteContext(
            current=current,
            managed_event_guard=self._features.managed_alert_event_guard,
            exempt_insight_alerts=self._features.insight_alert_event_exempt,
            trusted=trusted,
        )

    def _put(self, function: HogFunction) -> None:
        self._functions[function.id] = function
        self._store.save()

    def _dump(self) -> list[Any]:
        return [function.to_json() for function in self._functions.values()]

    def _restore(self, items: list[Any]) -> None:
        functions = [HogFunction.from_json(item) for item in items]
        self._functions = {function.id: function for function in functions}
        for function in functions:
            moment = parse_datetime(function.updated_at)
            if moment is not None:
                self._clock.advance_past(moment)


_PLAIN = (
    "type", "name", "description", "enabled", "deleted", "hog", "bytecode", "inputs_schema",
    "filters", "masking", "mappings", "icon_url", "execution_order",
)  # fmt: skip


def _event_filter() -> dict[str, Any]:
    return {"events": [{"id": INSIGHT_ALERT_EVENT, "type": "events"}]}


def _alert_filter(alert_id: str) -> dict[str, Any]:
    return {"properties": [{"key": "alert_id", "value": alert_id}]}


def _after(stored: str, base: datetime) -> bool:
    moment = parse_datetime(stored)
    return moment is not None and moment > base
