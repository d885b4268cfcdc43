"""PostHog's ``validate_alert_config``: condition, config and threshold checked together.

Runs on the merged alert (request values over stored ones) and returns the first problem's
exact message, or ``None``. Checks run in the order PostHog runs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from alertsync.emulator.pydantic_models import (
    TRENDS_CONFIG,
    SchemaError,
    ThresholdConfig,
    TrendsConfig,
    is_valid_condition,
    parse_threshold,
    parse_trends_config,
)

NON_TIME_SERIES_DISPLAYS = (
    "BoldNumber",
    "ActionsPie",
    "ActionsBarValue",
    "ActionsTable",
    "WorldMap",
)
BOUNDS_REQUIRED = "At least one threshold bound (lower or upper) must be provided."


@dataclass(frozen=True)
class AlertDraft:
    """What the checks need to know about the alert as it would be saved."""

    condition: Any
    config: Any
    threshold_configuration: Any  # None when the alert has no threshold
    query: Any
    detector_config: Any
    threshold_in_request: bool


def innermost_query(query: Any) -> Mapping[str, Any]:
    """Unwrap ``source`` (e.g. ``InsightVizNode`` → ``TrendsQuery``) down to the real query."""
    while isinstance(query, Mapping) and isinstance(query.get("source"), Mapping):
        query = query["source"]
    return query if isinstance(query, Mapping) else {}


def is_alertable(query: Any) -> bool:
    return innermost_query(query).get("kind") == "TrendsQuery"


def check_alert_config(draft: AlertDraft) -> str | None:
    """The first failing rule's message, or ``None`` when the alert is consistent."""
    if not is_valid_condition(draft.condition):
        return f"Alert has invalid condition: {draft.condition!r}"
    config = draft.config
    if not isinstance(config, Mapping) or config.get("type") != TRENDS_CONFIG:
        return f"Unsupported alert config type: {config!r}"
    trends = parse_trends_config(config)
    if trends is None:
        return f"Alert has invalid TrendsAlertConfig: {config!r}"
    source = innermost_query(draft.query)
    if source.get("kind") != "TrendsQuery":
        return (
            f"Alert's insight query kind '{source.get('kind')}' is not supported (only TrendsQuery)"
        )
    condition_type: str = draft.condition["type"]
    return _check_query(condition_type, trends, source) or _check_threshold(
        condition_type, trends, draft
    )


def _check_query(
    condition_type: str, trends: TrendsConfig, source: Mapping[str, Any]
) -> str | None:
    display = _trends_filter(source).get("display") or "ActionsLineGraph"
    if condition_type != "absolute_value" and display in NON_TIME_SERIES_DISPLAYS:
        return (
            f"Relative alert condition '{condition_type}' is not compatible with "
            "non time series trends"
        )
    series_count = _series_count(source)
    if trends.series_index >= series_count:
        return (
            f"series_index {trends.series_index} is out of range (query has {series_count} series)"
        )
    return None


def _check_threshold(condition_type: str, trends: TrendsConfig, draft: AlertDraft) -> str | None:
    if draft.threshold_configuration is None:
        return None
    try:
        threshold: ThresholdConfig = parse_threshold(draft.threshold_configuration)
    except SchemaError:
        return None  # a stored legacy value; request values were checked by the serializer
    if condition_type == "absolute_value" and threshold.type == "percentage":
        return (
            "Absolute value alerts require an absolute threshold, but a percentage threshold "
            "was configured"
        )
    ongoing_types = ("absolute_value", "relative_increase")
    if (
        trends.check_ongoing_interval
        and condition_type in ongoing_types
        and threshold.upper is None
    ):
        return (
            f"check_ongoing_interval is only supported for alert condition {condition_type} "
            "when upper threshold is specified"
        )
    needs_bounds = draft.threshold_in_request and draft.detector_config is None
    if needs_bounds and not threshold.has_bounds:
        return BOUNDS_REQUIRED
    return None


def _trends_filter(source: Mapping[str, Any]) -> Mapping[str, Any]:
    trends_filter = source.get("trendsFilter")
    return trends_filter if isinstance(trends_filter, Mapping) else {}


def _series_count(source: Mapping[str, Any]) -> int:
    """Series the alert can pick from: formula nodes when the trend uses formulas."""
    trends_filter = _trends_filter(source)
    for key in ("formulaNodes", "formulas"):
        formulas = trends_filter.get(key)
        if isinstance(formulas, list) and formulas:
            return len(formulas)
    if isinstance(trends_filter.get("formula"), str) and trends_filter["formula"]:
        return 1
    series = source.get("series")
    return len(series) if isinstance(series, list) else 0
