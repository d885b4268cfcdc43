"""PostHog's rules on one alert's fields, checked offline (alerts contract §1.3, §2.5-§2.9, §5).

Each rule yields the field path it is about and a message that says what to do. Rules that
need the insight (its kind, display, series or funnel steps) are checked when planning
(`core.insight_rules`); everything here needs the file only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from alertsync.core import detectors, quiet_hours
from alertsync.core.canonical import HOGQL_CONFIG, METRICS_CONFIG, TRENDS_CONFIG
from alertsync.model import PathKey

Found = Iterator[tuple[PathKey, str]]
RELATIVE = ("relative_increase", "relative_decrease")


def _get(raw: Any, *keys: str) -> Any:
    for key in keys:
        raw = raw.get(key) if isinstance(raw, dict) else None
    return raw


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def field_problems(alert: dict[str, Any]) -> Found:
    yield from _threshold(alert)
    yield from _condition(alert)
    yield from _sql(alert)
    yield from _detector(alert)
    yield from _quiet_hours(alert)
    yield from _investigation(alert)


def _threshold(alert: dict[str, Any]) -> Found:
    bounds = _get(alert, "threshold", "configuration", "bounds")
    if not isinstance(bounds, dict):
        return
    path = ("threshold", "configuration", "bounds")
    lower: Any = bounds.get("lower")
    upper: Any = bounds.get("upper")
    if lower is None and upper is None and alert.get("detector_config") is None:
        yield (
            path,
            (
                "at least one threshold bound (lower or upper) is required "
                "(only anomaly detection alerts, with detector_config, may have none)"
            ),
        )
    if _is_number(lower) and _is_number(upper) and lower > upper:
        yield (*path, "lower"), f"lower bound {lower} is greater than upper bound {upper}"


def _config_type(alert: dict[str, Any]) -> Any:
    config = alert.get("config")
    return config.get("type", TRENDS_CONFIG) if isinstance(config, dict) else None


def _condition(alert: dict[str, Any]) -> Found:
    kind = _get(alert, "condition", "type")
    if (
        kind == "absolute_value"
        and _get(alert, "threshold", "configuration", "type") == "percentage"
    ):
        yield (
            ("condition", "type"),
            (
                "an absolute_value condition needs an absolute threshold, but "
                "threshold.configuration.type is percentage"
            ),
        )
    ongoing = _get(alert, "config", "check_ongoing_interval") is True
    upper = _get(alert, "threshold", "configuration", "bounds", "upper")
    applies = _config_type(alert) in (TRENDS_CONFIG, METRICS_CONFIG)
    if ongoing and applies and kind in ("absolute_value", "relative_increase") and upper is None:
        yield (
            ("config", "check_ongoing_interval"),
            (f"check_ongoing_interval needs an upper bound with the {kind} condition"),
        )


def _sql(alert: dict[str, Any]) -> Found:
    if _config_type(alert) != HOGQL_CONFIG or _get(alert, "config", "evaluation") != "any_row":
        return
    if _get(alert, "condition", "type") in RELATIVE:
        yield (
            ("condition", "type"),
            (
                "any_row SQL alerts only support the absolute_value condition "
                "(PostHog: Any-row SQL alerts only support absolute value conditions)"
            ),
        )
    if alert.get("detector_config") is not None:
        yield (
            ("detector_config",),
            ("anomaly detection isn't supported for any_row SQL alerts: use last_row or first_row"),
        )


def _detector(alert: dict[str, Any]) -> Found:
    for path, message in detectors.range_problems(alert.get("detector_config")):
        yield ("detector_config", *path), message


def _quiet_hours(alert: dict[str, Any]) -> Found:
    value = alert.get("schedule_restriction")
    windows = quiet_hours.windows_of(value)
    broken = False
    for index, window in enumerate(windows):
        if not isinstance(window, dict):
            continue
        path: PathKey = ("schedule_restriction", "blocked_windows", index)
        start = quiet_hours.minutes(window.get("start"))
        end = quiet_hours.minutes(window.get("end"))
        for key, parsed in (("start", start), ("end", end)):
            if parsed is None and isinstance(window.get(key), str):
                broken = True
                yield (*path, key), f"{window[key]!r} is not a time of day (00:00 to 23:59)"
        if start is None or end is None:
            continue
        problem = quiet_hours.window_problem(start, end)
        if problem is not None:
            broken = True
            yield path, problem
    if not broken and len(windows) <= quiet_hours.MAX_WINDOWS and quiet_hours.whole_day(value):
        yield (
            ("schedule_restriction",),
            (
                "the windows cover the whole day, so the alert would never be checked; PostHog "
                "refuses that"
            ),
        )


def _investigation(alert: dict[str, Any]) -> Found:
    agent = alert.get("investigation_agent_enabled") is True
    has_detector = alert.get("detector_config") is not None
    if agent and not has_detector and _config_type(alert) != METRICS_CONFIG:
        yield (
            ("investigation_agent_enabled",),
            (
                "the investigation agent is only for anomaly detection alerts (detector_config) "
                "and alerts on metrics insights"
            ),
        )
    if alert.get("investigation_gates_notifications") is True and not agent:
        yield (
            ("investigation_gates_notifications",),
            ("gating notifications needs investigation_agent_enabled: true"),
        )
