"""Validation of alert writes with PostHog's rules, order and messages (contract §5).

First the serializer fields in ``Meta.fields`` order (only the first failing field is
reported), then ``validate()``: insight query, ``validate_alert_config`` on the merged
alert, the 15-minute entitlement, the investigation flags and, on POST only, the plan limit.
Failures raise :class:`~alertsync.emulator.refusals.ApiError` with PostHog's error body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from alertsync.emulator.alert_config import AlertDraft, check_alert_config
from alertsync.emulator.alert_fields import FieldContext, clean_fields
from alertsync.emulator.drf import FieldError, type_name
from alertsync.emulator.refusals import validation_error
from alertsync.emulator.seed import FREE_TIER_ALERT_LIMIT, Seed
from alertsync.emulator.stored import Alert

FIFTEEN_MINUTES_DENIED = (
    "15-minute alert intervals require a Boost, Scale, or Enterprise platform add-on."
)
AGENT_NEEDS_DETECTOR = "Investigation agent is only supported for anomaly detection alerts."
GATING_NEEDS_AGENT = "Notification gating requires investigation_agent_enabled=true."


@dataclass(frozen=True)
class WriteContext:
    seed: Seed
    method: str  # "POST", "PUT" or "PATCH"
    current: Alert | None  # the stored alert for PUT and PATCH
    alert_count: int  # the team's alerts before this write (plan limit)

    def merged(self, values: Mapping[str, Any], key: str, default: Any = None) -> Any:
        """The value the alert would have after the write."""
        if key in values:
            return values[key]
        return default if self.current is None else getattr(self.current, key)


def validate_write(body: Any, context: WriteContext) -> dict[str, Any]:
    """The validated values of a POST/PUT/PATCH body, or an ``ApiError`` (400)."""
    data = _body_mapping(body)
    field_context = FieldContext(context.seed, partial=context.method == "PATCH")
    try:
        values = clean_fields(data, field_context)
    except FieldError as error:
        raise validation_error(error.detail, error.code, "__".join(error.path)) from None
    _validate_object(values, context)
    return values


def _body_mapping(body: Any) -> Mapping[str, Any]:
    if body is None:
        raise validation_error("This field may not be null.", "null")
    if not isinstance(body, Mapping):
        raise validation_error(f"Invalid data. Expected a dictionary, but got {type_name(body)}.")
    return body


def _validate_object(values: Mapping[str, Any], context: WriteContext) -> None:
    insight = context.seed.insights.get(context.merged(values, "insight"))
    if insight is None or insight.query is None:
        raise validation_error("Insight has no valid query.", attr="insight")
    problem = check_alert_config(_draft(values, context, insight.query))
    if problem is not None:
        raise validation_error(problem)
    interval = values.get("calculation_interval")
    if interval == "every_15_minutes" and not context.seed.entitlements.every_15_minutes:
        raise validation_error(FIFTEEN_MINUTES_DENIED, attr="calculation_interval")
    _check_investigation(values, context)
    if context.method == "POST":
        _check_plan_limit(context)


def _draft(values: Mapping[str, Any], context: WriteContext, query: Any) -> AlertDraft:
    stored = context.current.threshold if context.current is not None else None
    configuration = None if stored is None else stored.configuration
    if "threshold" in values:
        configuration = values["threshold"].get("configuration", configuration)
    return AlertDraft(
        condition=context.merged(values, "condition"),
        config=context.merged(values, "config"),
        threshold_configuration=configuration,
        query=query,
        detector_config=context.merged(values, "detector_config"),
        threshold_in_request="threshold" in values,
    )


def _check_investigation(values: Mapping[str, Any], context: WriteContext) -> None:
    agent = context.merged(values, "investigation_agent_enabled", False)
    if agent and context.merged(values, "detector_config") is None:
        raise validation_error(AGENT_NEEDS_DETECTOR, attr="investigation_agent_enabled")
    if context.merged(values, "investigation_gates_notifications", False) and not agent:
        raise validation_error(GATING_NEEDS_AGENT, attr="investigation_gates_notifications")


def _check_plan_limit(context: WriteContext) -> None:
    """Counts every alert of the team, disabled ones included."""
    seed = context.seed
    if not seed.entitlements.alerts:
        if context.alert_count >= FREE_TIER_ALERT_LIMIT:
            detail = f"Your plan is limited to {FREE_TIER_ALERT_LIMIT} alerts."
            raise validation_error(detail, attr="alert")
    elif seed.alert_limit is not None and context.alert_count >= seed.alert_limit:
        detail = f"Your team has reached the limit of {seed.alert_limit} alerts on your plan."
        raise validation_error(detail, attr="alert")
