"""The server default of ``config.check_ongoing_interval`` (contract §2.5.5, V
``should_default_check_ongoing_interval``).

Before validation, on every create and update, a config whose ``check_ongoing_interval`` is
missing or null gets ``true`` when the alert's cadence is strictly shorter than the insight's
grouping interval and evaluating the ongoing bucket makes sense:

* ``TrendsAlertConfig``: a valid, time-series trend; an ``absolute_value`` or
  ``relative_increase`` condition; a threshold with an upper bound;
* ``FunnelsAlertConfig``: a historical-trends funnel;
* any other kind: never.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alertsync.emulator import queries
from alertsync.emulator.pydantic_models import SchemaError, is_valid_condition, parse_threshold

REAL_TIME_CADENCE_MINUTES = 2
# V _CADENCE_DURATION_MINUTES (twin of the frontend's alertIntervalHelpers.ts)
CADENCE_MINUTES: dict[str, float] = {
    "real_time": REAL_TIME_CADENCE_MINUTES,
    "every_15_minutes": 15,
    "hourly": 60,
    "daily": 60 * 24,
    "weekly": 60 * 24 * 7,
    "monthly": 60 * 24 * 30,
}
# V _INTERVAL_DURATION_MINUTES (quarter and year from V@06844a99)
INSIGHT_INTERVAL_MINUTES: dict[str, float] = {
    "second": 1 / 60,
    "minute": 1,
    "hour": 60,
    "day": 60 * 24,
    "week": 60 * 24 * 7,
    "month": 60 * 24 * 30,
    "quarter": 60 * 24 * 30 * 3,
    "year": 60 * 24 * 365,
}


def with_ongoing_default(
    config: Any,
    *,
    query: Any,
    condition: Any,
    threshold_configuration: Any,
    calculation_interval: Any,
) -> Any:
    """``config`` with ``check_ongoing_interval: true`` added when the server would add it."""
    if not isinstance(config, Mapping) or config.get("check_ongoing_interval") is not None:
        return config
    cadence = CADENCE_MINUTES.get(calculation_interval) if calculation_interval else None
    if cadence is None or not _applies(config, query, condition, threshold_configuration, cadence):
        return config
    return {**config, "check_ongoing_interval": True}


def _applies(
    config: Mapping[str, Any], query: Any, condition: Any, threshold: Any, cadence: float
) -> bool:
    source = queries.unwrap(query)
    config_type = config.get("type")
    if config_type == "TrendsAlertConfig":
        if not _is_model(source, queries.TRENDS) or not is_valid_condition(condition):
            return False
        if queries.is_non_time_series(source):
            return False
        if condition["type"] not in ("absolute_value", "relative_increase"):
            return False
        return _finer(cadence, source) and _has_upper_bound(threshold)
    if config_type == "FunnelsAlertConfig":
        if not _is_model(source, queries.FUNNELS):
            return False
        return queries.funnel_viz(source) == "trends" and _finer(cadence, source)
    return False


def _is_model(source: Mapping[str, Any], model: str) -> bool:
    return source.get("kind") == model and queries.query_problem(source, model) is None


def _finer(cadence: float, source: Mapping[str, Any]) -> bool:
    interval = queries.insight_interval(source)
    return cadence < INSIGHT_INTERVAL_MINUTES.get(interval, INSIGHT_INTERVAL_MINUTES["day"])


def _has_upper_bound(threshold: Any) -> bool:
    try:
        return threshold is not None and parse_threshold(threshold).upper is not None
    except SchemaError:
        return False
