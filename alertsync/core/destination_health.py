"""Destination health: what PostHog says of each hog function an alert notifies, and the last
delivery its checks recorded (destinations contract §3.3, §3.4, §7, §8).

An alert's destinations are the `internal_destination` hog functions whose filters carry the
event property `alert_id` = the alert's id; they are listed once for the whole project and
grouped here by that id.

Health comes from two fields:

* `enabled: false`: the function does not run. A person paused it, or PostHog's CDP disabled
  it after failures (contract §7: `enabled` then drifts to false without a human); the API
  does not say which. PostHog then reports `status` `{"state": 0, "tokens": 0}`.
* `status.state`, the CDP's verdict on an enabled function (`HogFunctionState`, PostHog's
  `products/cdp/backend/models/hog_functions/hog_function.py`, and the plugin server's
  `HogWatcherState`): `0` unknown (no verdict yet; the UI shows "Active"), `1` healthy, `2`
  degraded (failing or slow: moved to a slower queue), `3` disabled (too many failures),
  `11` forcefully degraded and `12` forcefully disabled (by a PostHog admin). Older PostHog
  versions had `3` disabled temporarily and `4` disabled permanently, so `4` reads disabled.
  Any other number is reported as unknown, with its value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from alertsync.core.instants import format_instant, parse_instant

Health = Literal["healthy", "degraded", "disabled", "unknown"]

STATE_HEALTH: dict[int, tuple[Health, str]] = {
    0: ("unknown", "enabled; PostHog has no verdict on it yet (state 0)"),
    1: ("healthy", "healthy (state 1)"),
    2: ("degraded", "degraded by PostHog after failed or slow deliveries (state 2)"),
    3: ("disabled", "disabled by PostHog after too many failed deliveries (state 3)"),
    4: ("disabled", "disabled permanently by PostHog after failures (state 4, older PostHog)"),
    11: ("degraded", "forcefully degraded by a PostHog admin (state 11)"),
    12: ("disabled", "forcefully disabled by a PostHog admin (state 12)"),
}
NOT_ENABLED = "disabled (enabled: false): paused in PostHog, or disabled by PostHog after failures"
ALERT_EVENT = "$insight_alert_firing"


@dataclass(frozen=True)
class Delivery:
    """The newest delivery receipt of a destination among the checks read."""

    status: str  # PostHog records accepted sends only: "accepted"
    at: str | None  # when it was accepted (UTC, to the second)
    check_id: str | None


@dataclass(frozen=True)
class DestinationStatus:
    id: str
    name: str
    kind: str  # slack, webhook, discord, microsoft-teams, ... (the template's id)
    enabled: bool
    state: int | None  # `status.state` as PostHog reported it
    health: Health
    reason: str
    last_delivery: Delivery | None

    @property
    def condition(self) -> str | None:
        """The status condition this destination puts its alert in, if any."""
        if self.health == "disabled":
            return "destination-disabled"
        return "destination-degraded" if self.health == "degraded" else None


def owner_alert_id(function: Mapping[str, Any]) -> str | None:
    """The alert a hog function notifies: its `alert_id` event-property filter's value."""
    filters = function.get("filters")
    properties = filters.get("properties") if isinstance(filters, dict) else None
    for prop in properties if isinstance(properties, list) else []:
        if isinstance(prop, dict) and prop.get("key") == "alert_id":
            value = prop.get("value")
            if isinstance(value, list) and len(value) == 1:
                value = value[0]
            return value if isinstance(value, str) else None
    return None


def by_alert(functions: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """Alert id → the destinations that notify it, by name then id."""
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for function in functions:
        alert_id = owner_alert_id(function)
        if alert_id is not None and function.get("type") in (None, "internal_destination"):
            grouped.setdefault(alert_id, []).append(function)
    for found in grouped.values():
        found.sort(key=lambda f: (str(f.get("name") or ""), str(f.get("id"))))
    return grouped


def destination_status(
    function: Mapping[str, Any], checks: Sequence[Mapping[str, Any]]
) -> DestinationStatus:
    """One destination's health, and its newest delivery among `checks` (newest first)."""
    function_id = str(function.get("id"))
    enabled = function.get("enabled") is not False
    status = function.get("status")
    raw_state = status.get("state") if isinstance(status, dict) else None
    state = raw_state if isinstance(raw_state, int) and not isinstance(raw_state, bool) else None
    health, reason = _health(enabled, state)
    return DestinationStatus(
        function_id,
        str(function.get("name") or ""),
        _kind(function),
        enabled,
        state,
        health,
        reason,
        _last_delivery(function_id, checks),
    )


def _health(enabled: bool, state: int | None) -> tuple[Health, str]:
    if not enabled:
        return "disabled", NOT_ENABLED
    if state is None:
        return "unknown", "enabled; PostHog reported no status"
    return STATE_HEALTH.get(state, ("unknown", f"enabled; unknown state {state}"))


def _kind(function: Mapping[str, Any]) -> str:
    template = function.get("template")
    template_id = template.get("id") if isinstance(template, dict) else None
    if not isinstance(template_id, str) or not template_id:
        return "destination"
    return template_id.removeprefix("template-")


def _last_delivery(function_id: str, checks: Sequence[Mapping[str, Any]]) -> Delivery | None:
    for check in checks:
        receipts = check.get("deliveries")
        for receipt in receipts if isinstance(receipts, list) else []:
            if isinstance(receipt, dict) and str(receipt.get("target_id")) == function_id:
                at = parse_instant(receipt.get("at"))
                check_id = check.get("id")
                return Delivery(
                    str(receipt.get("status") or "unknown"),
                    format_instant(at) if at is not None else None,
                    str(check_id) if check_id is not None else None,
                )
    return None
