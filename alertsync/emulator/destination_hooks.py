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
from alertsync.emulator.checks import render_check
from alertsync.emulator.delivery_rows import destination_row
from alertsync.emulator.destination_world import DestinationWorld
from alertsync.emulator.evaluator import CheckSpec
from alertsync.emulator.hog_shapes import render_function
from alertsync.emulator.hog_stored import DISABLED, STATE_NAMES
from alertsync.emulator.refusals import ApiError
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
        """The evaluator checked the alert (see :meth:`record_check`); when it fires with
        ``notify``, the subscribers and every enabled destination accepted the notification
        (or the destination records given in ``deliveries``): the check carries their
        delivery receipts. Returns the check in the API's shape."""
        world = self._destinations
        try:
            found = world.alerts.get(alert_id).alert
        except ApiError:
            raise KeyError(alert_id) from None
        notified: dict[str, Any] = {}
        now = world.alerts.clock.now()
        if notify and state == FIRING:
            users = (world.seed.users.get(user_id) for user_id in found.subscribed_users)
            active = [f for f in world.functions.owned_by(found.id) if f.enabled]
            rows = (
                [dict(r) for r in deliveries]
                if deliveries is not None
                else [destination_row(function, now) for function in active]
            )
            notified = {"users": [u.email for u in users if u is not None], "destinations": rows}
        interval = _query_interval(world.seed.insights.get(found.insight))
        spec = CheckSpec(
            state, calculated_value, error, now, interval=interval, targets_notified=notified
        )
        alert = world.alerts.record_check(alert_id, spec)
        newest = max(alert.checks, key=lambda check: check.moment)
        return copy.deepcopy(render_check(newest))

    def set_integration_revoked(self, integration_id: int, revoked: bool = True) -> dict[str, Any]:
        """The Slack install stops authenticating (or works again): listing its channels
        answers ``slack_integration_inactive``."""
        world = self._destinations
        return copy.deepcopy(
            world.integrations.render(world.integrations.set_revoked(integration_id, revoked))
        )


def _query_interval(insight: Any) -> str | None:
    """The insight's interval (``day``, ``hour``, ...), as a check records it."""
    query = insight.query if insight is not None else None
    source = query.get("source", query) if isinstance(query, dict) else None
    interval = source.get("interval") if isinstance(source, dict) else None
    return interval if isinstance(interval, str) else None
