"""PostHog's ``validate_alert_config``: interval, condition, detector, config and threshold
checked together, with one validator per config kind (contract §2.5.1-§2.5.4, §2.6.2 rule 4).

Runs on the merged alert (request values over stored ones) and returns the first problem's
exact message, or ``None``. Checks run in PostHog's order (V): the interval, the condition,
the detector against the insight kind, the config ``type``, then the kind's own rules, which
end with the condition/threshold compatibility and the empty-bounds rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from alertsync.emulator import queries
from alertsync.emulator.config_models import (
    FUNNELS_CONFIG,
    HOGQL_CONFIG,
    METRICS_CONFIG,
    TRENDS_CONFIG,
    parse_funnels_config,
    parse_hogql_config,
    parse_metrics_config,
    parse_trends_config,
)
from alertsync.emulator.pydantic_models import SchemaError, ThresholdConfig, parse_threshold
from alertsync.emulator.pydantic_models import is_valid_condition as _is_valid_condition
from alertsync.emulator.stored import INTERVALS

BOUNDS_REQUIRED = "At least one threshold bound (lower or upper) must be provided."
# The kinds with a detector extractor (dispatcher ``DETECTOR_EXTRACTORS``): funnels and metrics
# stay threshold-only.
DETECTOR_KINDS = (queries.TRENDS, queries.HOGQL)
_ONGOING_CONDITIONS = ("absolute_value", "relative_increase")


class ConfigProblem(ValueError):
    """One rule failed; the message is PostHog's."""


@dataclass(frozen=True)
class AlertDraft:
    """What the checks need to know about the alert as it would be saved."""

    condition: Any
    config: Any
    threshold_configuration: Any  # None when the alert has no threshold
    query: Any
    detector_config: Any
    calculation_interval: Any
    require_threshold_bounds: bool


@dataclass(frozen=True)
class _Context:
    draft: AlertDraft
    config: Mapping[str, Any]
    source: Mapping[str, Any]  # the query under its wrapper node
    kind: str | None
    condition_type: str

    @property
    def bounds_required(self) -> bool:
        return self.draft.require_threshold_bounds and self.draft.detector_config is None


def check_alert_config(draft: AlertDraft) -> str | None:
    """The first failing rule's message, or ``None`` when the alert is consistent."""
    try:
        _validate(draft)
    except ConfigProblem as problem:
        return str(problem)
    return None


def _validate(draft: AlertDraft) -> None:
    interval = draft.calculation_interval
    if not isinstance(interval, str) or interval not in INTERVALS:
        raise ConfigProblem(f"Invalid calculation interval: {interval}")
    if not _is_valid_condition(draft.condition):
        raise ConfigProblem(f"Alert has invalid condition: {draft.condition}")
    config = draft.config
    config_type = config.get("type") if isinstance(config, Mapping) else None
    source = queries.unwrap(draft.query)
    kind = queries.query_kind(draft.query)
    if draft.detector_config is not None and kind not in DETECTOR_KINDS:
        raise ConfigProblem(f"Anomaly detection alerts aren't supported for {kind} insights")
    validator = _VALIDATORS.get(config_type) if isinstance(config_type, str) else None
    if validator is None or not isinstance(config, Mapping):
        raise ConfigProblem(f"Unsupported alert config type: {config}")
    validator(_Context(draft, config, source, kind, draft.condition["type"]))


def _validate_trends(ctx: _Context) -> None:
    parsed = parse_trends_config(ctx.config)
    if parsed is None:
        raise ConfigProblem(f"Alert has invalid TrendsAlertConfig: {dict(ctx.config)}")
    if ctx.kind != queries.TRENDS:
        raise ConfigProblem(
            f"Alert's insight query kind '{ctx.kind}' is not supported (only TrendsQuery)"
        )
    _check_query(ctx, queries.TRENDS)
    relative = ctx.condition_type in ("relative_increase", "relative_decrease")
    if relative and queries.is_non_time_series(ctx.source):
        raise ConfigProblem(
            f"Relative alert condition '{ctx.condition_type}' is not compatible with "
            "non time series trends"
        )
    count = queries.result_count(ctx.source)
    if parsed.series_index >= count:
        raise ConfigProblem(
            f"series_index {parsed.series_index} is out of range (query has {count} series)"
        )
    threshold = _threshold_compatibility(ctx)
    _check_ongoing_upper_bound(ctx, threshold, parsed.check_ongoing_interval)
    _check_bounds(ctx)


def _validate_hogql(ctx: _Context) -> None:
    if ctx.kind != queries.HOGQL:
        raise ConfigProblem(f"SQL alert config requires a HogQLQuery insight, got '{ctx.kind}'")
    parsed = parse_hogql_config(ctx.config)
    if parsed is None:
        raise ConfigProblem(f"Alert has invalid HogQLAlertConfig: {dict(ctx.config)}")
    if parsed.evaluation == "any_row" and ctx.condition_type != "absolute_value":
        raise ConfigProblem("Any-row SQL alerts only support absolute value conditions")
    if ctx.draft.detector_config is not None and parsed.evaluation == "any_row":
        raise ConfigProblem(
            "Anomaly detection isn't supported for any-row SQL alerts — use last-row or first-row"
        )
    _threshold_compatibility(ctx)
    _check_bounds(ctx)


def _validate_funnels(ctx: _Context) -> None:
    if ctx.kind != queries.FUNNELS:
        raise ConfigProblem(
            f"Funnel alert config requires a FunnelsQuery insight, got '{ctx.kind}'"
        )
    parsed = parse_funnels_config(ctx.config)
    if parsed is None:
        raise ConfigProblem(f"Alert has invalid FunnelsAlertConfig: {dict(ctx.config)}")
    _check_query(ctx, queries.FUNNELS)
    viz = queries.funnel_viz(ctx.source)
    if viz not in ("steps", "trends"):  # FS strategy_for_viz
        raise ConfigProblem(f"Funnel alerts aren't supported for the '{viz}' visualization.")
    if ctx.condition_type != "absolute_value" and viz == "steps":
        raise ConfigProblem("This funnel only supports absolute value conditions")
    if viz == "steps":
        _check_funnel_step(parsed.funnel_step, parsed.metric, ctx.source)
    _threshold_compatibility(ctx)
    _check_bounds(ctx)


def _check_funnel_step(step: int | None, metric: str, source: Mapping[str, Any]) -> None:
    """FS ``StepsFunnelStrategy.validate_config``; a trends funnel checks nothing here."""
    if step is not None:
        if step < 0:
            raise ConfigProblem(f"funnel_step must be >= 0, got {step}")
        steps = queries.funnel_step_count(source)
        if step >= steps:
            raise ConfigProblem(f"funnel_step {step} is out of range (funnel has {steps} steps)")
    if metric == "conversion_from_previous" and step == 0:
        raise ConfigProblem(
            "conversion_from_previous is undefined at the first step; "
            "use conversion_from_start instead"
        )


def _validate_metrics(ctx: _Context) -> None:
    if ctx.kind != queries.METRICS:
        raise ConfigProblem(
            f"Metrics alert config requires a MetricsQuery insight, got '{ctx.kind}'"
        )
    parsed = parse_metrics_config(ctx.config)
    if parsed is None:
        raise ConfigProblem(f"Alert has invalid MetricsAlertConfig: {dict(ctx.config)}")
    _check_query(ctx, queries.METRICS)
    threshold = _threshold_compatibility(ctx)
    _check_ongoing_upper_bound(ctx, threshold, parsed.check_ongoing_interval)
    _check_bounds(ctx)


def _check_query(ctx: _Context, model: str) -> None:
    problem = queries.query_problem(ctx.source, model)
    if problem is not None:
        raise ConfigProblem(f"Alert's insight has an invalid {model}: {problem}")


def _threshold_compatibility(ctx: _Context) -> ThresholdConfig | None:
    """The threshold parsed, after the condition/threshold rule every kind shares."""
    configuration = ctx.draft.threshold_configuration
    if configuration is None:
        return None
    try:
        threshold = parse_threshold(configuration)
    except SchemaError:
        raise ConfigProblem(f"Alert has invalid threshold configuration: {configuration}") from None
    if ctx.condition_type == "absolute_value" and threshold.type != "absolute":
        raise ConfigProblem(
            "Absolute value alerts require an absolute threshold, but a percentage threshold "
            "was configured"
        )
    return threshold


def _check_ongoing_upper_bound(
    ctx: _Context, threshold: ThresholdConfig | None, check_ongoing_interval: bool
) -> None:
    """An ongoing bucket only under-counts, so it needs an upper bound to compare with."""
    if threshold is None or not check_ongoing_interval:
        return
    if ctx.condition_type in _ONGOING_CONDITIONS and threshold.upper is None:
        raise ConfigProblem(
            f"check_ongoing_interval is only supported for alert condition {ctx.condition_type} "
            "when upper threshold is specified"
        )


def _check_bounds(ctx: _Context) -> None:
    if ctx.bounds_required and not has_bounds(ctx.draft.threshold_configuration):
        raise ConfigProblem(BOUNDS_REQUIRED)


def has_bounds(configuration: Any) -> bool:
    """V ``insight_threshold_has_bounds``: a valid threshold with a lower or upper bound."""
    try:
        return configuration is not None and parse_threshold(configuration).has_bounds
    except SchemaError:
        return False


_VALIDATORS: dict[str, Callable[[_Context], None]] = {
    TRENDS_CONFIG: _validate_trends,
    HOGQL_CONFIG: _validate_hogql,
    FUNNELS_CONFIG: _validate_funnels,
    METRICS_CONFIG: _validate_metrics,
}
