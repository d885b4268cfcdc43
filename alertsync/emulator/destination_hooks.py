"""Test hooks for alert destinations, mixed into :class:`~alertsync.emulator.Emulator`.

They play the parts no API call can: the CDP judging a destination's health, the alert
evaluator firing and notifying, Slack revoking an install; and they show what test
deliveries "sent". Every hook returns deep copies in the API's read shapes.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from alertsync.emulator.alert_test_delivery import RecordedTestDelivery
from alertsync.emulator.destination_world import DestinationWorld
from alertsync.emulator.hog_shapes import render_function
from alertsync.emulator.hog_stored import DISABLED, STATE_NAMES
from alertsync.emulator.stored import FIRING


class DestinationHooks:
    """Mixin: needs ``self._destinations``, the emulator's :class:`DestinationWorld`."""

    _destinations: DestinationWorld

    def hog_functions(self, include_deleted: bool = False) -> list[dict[str, Any]]:
        """Every hog function in the full read shape, oldest first. With ``include_deleted``,
        soft-deleted ones too, and each carries its (write-only) ``deleted`` flag."""
        world = self._destinations
        shapes = []
        for function in world.functions.all(include_deleted=include_deleted):
            shape = render_function(function, world.seed)
            if include_deleted:
                shape["deleted"] = function.deleted
            shapes.append(shape)
        return copy.deepcopy(shapes)

    @property
    def test_deliveries(self) -> list[RecordedTestDelivery]:
        """What ``POST …/test-delivery/`` scheduled, oldest first (never sent anywhere)."""
        return self._destinations.test_deliveries.entries()

    def clear_test_deliveries(self) -> None:
        self._destinations.test_deliveries.clear()

    def set_hog_function_status(
        self, function_id: str, state: int | str, tokens: int | None = None
    ) -> dict[str, Any]:
        """The CDP's health verdict: ``state`` by number or name (``healthy``, ``degraded``,
        ``disabled``, ``forcefully_degraded``, ``forcefully_disabled``, ``unknown``). It
        shows as ``status`` while the function is enabled."""
        number = STATE_NAMES[state] if isinstance(state, str) else state
        world = self._destinations

        def judged(function: Any) -> Any:
            return replace(
                function,
                cdp_state=number,
                cdp_tokens=function.cdp_tokens if tokens is None else tokens,
            )

        function = world.functions.change(function_id, judged)
        return copy.deepcopy(render_function(function, world.seed))

    def disable_hog_function_by_cdp(self, function_id: str) -> dict[str, Any]:
        """The CDP auto-disables a failing destination: ``enabled`` drifts to ``false`` without a
        human (contract §7) and its state is ``disabled``; re-enabling it through the API
        moves it to ``degraded``."""
        world = self._destinations
        function = world.functions.change(
            function_id, lambda f: replace(f, enabled=False, cdp_state=DISABLED, cdp_tokens=0)
        )
        return copy.deepcopy(render_function(function, world.seed))

    def record_alert_check(
        self,
        alert_id: str,
        *,
        state: str = FIRING,
        calculated_value: float | None = None,
        notify: bool = True,
        error: Mapping[str, Any] | None = None,
        deliveries: Sequence[Mapping[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The evaluator checked the alert: a check row (shown by the alert's retrieve), the
        alert's ``state``/``last_checked_at``/``next_check_at``/``last_value`` and, when it
        fires with ``notify``, ``last_notified_at`` and delivery receipts for the subscribers
        and every enabled destination (or the destination records given in ``deliveries``).
        Returns the check in the API's shape."""
        check = self._destinations.receipts.record(
            alert_id,
            state=state,
            calculated_value=calculated_value,
            notify=notify,
            error=error,
            deliveries=deliveries,
        )
        return copy.deepcopy(check)

    def set_integration_revoked(self, integration_id: int, revoked: bool = True) -> dict[str, Any]:
        """The Slack install stops authenticating (or works again): listing its channels
        answers ``slack_integration_inactive``."""
        world = self._destinations
        return copy.deepcopy(
            world.integrations.render(world.integrations.set_revoked(integration_id, revoked))
        )
