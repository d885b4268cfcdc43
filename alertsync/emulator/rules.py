"""Validation of alert writes with PostHog's rules, order and messages (contract §5).

First the serializer fields in ``Meta.fields`` order (only the first failing field is
reported), then S ``validate()`` on the alert as it would be saved:

1. the insight's kind gate and feature flag (again: a PATCH without ``insight`` skipped the
   field-level check), the metrics scope of the key (403), an insight without a query;
2. the server default of ``config.check_ongoing_interval`` (§2.5.5), stored with the alert;
3. ``validate_alert_config`` (:mod:`~alertsync.emulator.alert_config`); the empty-bounds rule
   answers with attr ``threshold__configuration``, the others with ``null``;
4. the interval entitlement; the investigation flags; on POST the alert limit; the
   real-time limit.

Failures raise :class:`~alertsync.emulator.refusals.ApiError` with PostHog's error body.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from alertsync.emulator import entitlements
from alertsync.emulator.alert_config import BOUNDS_REQUIRED, AlertDraft, check_alert_config
from alertsync.emulator.alert_fields import FieldContext, clean_fields
from alertsync.emulator.drf import FieldError, type_name
from alertsync.emulator.insight_gates import (
    METRICS_SCOPE_MISSING,
    is_metrics_insight,
    kind_gate_error,
    lacks_metrics_scope,
)
from alertsync.emulator.ongoing_default import with_ongoing_default
from alertsync.emulator.refusals import permission_denied, validation_error
from alertsync.emulator.seed import ApiKey, Insight, Seed
from alertsync.emulator.stored import Alert

AGENT_NEEDS_DETECTOR = "Investigation agent is only supported for anomaly detection alerts."
GATING_NEEDS_AGENT = "Notification gating requires investigation_agent_enabled=true."


@dataclass(frozen=True)
class WriteContext:
    seed: Seed
    method: str  # "POST", "PUT" or "PATCH"
    current: Alert | None  # the stored alert for PUT and PATCH
    alert_count: int  # the team's alerts before this write (alert limit)
    team_alerts: Callable[[], Iterable[Alert]]  # every alert of the team (real-time limit)
    key: ApiKey | None = None  # the request's API key; None: the emulator itself
    user_id: int | None = None  # the requesting user; None: the emulator itself

    def merged(self, values: Mapping[str, Any], key: str, default: Any = None) -> Any:
        """The value the alert would have after the write."""
        if key in values:
            return values[key]
        return default if self.current is None else getattr(self.current, key)


def validate_write(body: Any, context: WriteContext) -> dict[str, Any]:
    """The validated values of a POST/PUT/PATCH body, or an ``ApiError`` (400/403)."""
    data = _body_mapping(body)
    partial = context.method == "PATCH"
    field_context = FieldContext(context.seed, partial=partial, user_id=context.user_id)
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


def _validate_object(values: dict[str, Any], context: WriteContext) -> None:
    insight = context.seed.insights[context.merged(values, "insight")]
    problem = kind_gate_error(context.seed, insight)
    if problem is not None:
        raise validation_error(problem)
    if is_metrics_insight(insight) and lacks_metrics_scope(context.key):
        raise permission_denied(METRICS_SCOPE_MISSING)
    if insight.query is None:
        raise validation_error("Insight has no valid query.", attr="insight")
    draft = _draft(values, context, insight)
    problem = check_alert_config(draft)
    if problem == BOUNDS_REQUIRED:
        raise validation_error(problem, attr="threshold__configuration")
    if problem is not None:
        raise validation_error(problem)
    interval = draft.calculation_interval
    problem = entitlements.interval_entitlement_error(interval, context.seed)
    if problem is not None:
        raise validation_error(problem, attr="calculation_interval")
    _check_investigation(values, context, insight)
    if context.method == "POST":
        problem = entitlements.alert_limit_error(context.seed, context.alert_count)
        if problem is not None:
            raise validation_error(problem, attr="alert")
    _check_real_time_limit(values, context, interval)


def _draft(values: dict[str, Any], context: WriteContext, insight: Insight) -> AlertDraft:
    """The merged alert; applies the ``check_ongoing_interval`` default to ``values``."""
    stored = context.current.threshold if context.current is not None else None
    configuration = None if stored is None else stored.configuration
    if "threshold" in values:
        configuration = values["threshold"].get("configuration")
    interval = context.merged(values, "calculation_interval", "daily")
    detector = context.merged(values, "detector_config")
    condition = context.merged(values, "condition")
    config = context.merged(values, "config")
    defaulted = with_ongoing_default(
        config,
        query=insight.query,
        condition=condition,
        threshold_configuration=configuration,
        calculation_interval=interval,
    )
    if defaulted is not config:
        values["config"] = config = defaulted
    touched = "threshold" in values or "detector_config" in values
    return AlertDraft(
        condition=condition,
        config=config,
        threshold_configuration=configuration,
        query=insight.query,
        detector_config=detector,
        calculation_interval=interval,
        require_threshold_bounds=detector is None and (context.current is None or touched),
    )


def _check_investigation(
    values: Mapping[str, Any], context: WriteContext, insight: Insight
) -> None:
    """The agent needs a detector, or a MetricsQuery insight; gating needs the agent."""
    agent = context.merged(values, "investigation_agent_enabled", False)
    if agent and not context.merged(values, "detector_config") and not is_metrics_insight(insight):
        raise validation_error(AGENT_NEEDS_DETECTOR, attr="investigation_agent_enabled")
    if context.merged(values, "investigation_gates_notifications", False) and not agent:
        raise validation_error(GATING_NEEDS_AGENT, attr="investigation_gates_notifications")


def _check_real_time_limit(values: Mapping[str, Any], context: WriteContext, interval: str) -> None:
    current = context.current
    team_alerts = context.team_alerts() if interval == entitlements.REAL_TIME else ()
    problem = entitlements.real_time_limit_error(
        context.seed,
        team_alerts,
        interval=interval,
        enabled=context.merged(values, "enabled", True) is True,
        alert_id=None if current is None else current.id,
    )
    if problem is not None:
        raise validation_error(problem, attr="calculation_interval")
