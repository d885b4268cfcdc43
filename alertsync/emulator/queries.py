"""Reading an insight's query the way the alert rules do (contract §2.5, §2.5.5).

* The query kind is read after unwrapping **one** wrapper node (``DataTableNode``,
  ``DataVisualizationNode``, ``InsightVizNode``): ``{"kind": "InsightVizNode", "source":
  {"kind": "TrendsQuery", ...}}`` is a TrendsQuery (``WRAPPER_NODE_KINDS``, V).
* Alertable kinds: TrendsQuery, HogQLQuery, FunnelsQuery, MetricsQuery
  (``Insight.alertable_query_kind``); the rest (retention, paths, ...) carry no alerts.
* :func:`query_problem` plays PostHog's ``TrendsQuery`` / ``FunnelsQuery`` /
  ``MetricsQuery.model_validate``: the emulator checks the parts of a query its rules read
  (``series`` present and a list, ``interval`` and ``funnelVizType`` among their enum values,
  filters objects) and words a failure like pydantic.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alertsync.emulator.pydantic_models import Issue, format_issues

TRENDS = "TrendsQuery"
HOGQL = "HogQLQuery"
FUNNELS = "FunnelsQuery"
METRICS = "MetricsQuery"
ALERTABLE_KINDS = (TRENDS, HOGQL, FUNNELS, METRICS)
WRAPPER_NODE_KINDS = ("DataTableNode", "DataVisualizationNode", "InsightVizNode")
# posthog/tasks/alerts/utils.py NON_TIME_SERIES_DISPLAY_TYPES (U)
NON_TIME_SERIES_DISPLAYS = (
    "BoldNumber",
    "ActionsPie",
    "ActionsDonut",
    "ActionsBarValue",
    "ActionsTable",
    "WorldMap",
)
INTERVAL_TYPES = ("second", "minute", "hour", "day", "week", "month", "quarter", "year")
FUNNEL_VIZ_TYPES = ("steps", "time_to_convert", "trends", "flow")
_FILTER_KEYS = {TRENDS: "trendsFilter", FUNNELS: "funnelsFilter"}


def unwrap(query: Any) -> Mapping[str, Any]:
    """The query under at most one wrapper node; ``{}`` when it is not an object."""
    if not isinstance(query, Mapping):
        return {}
    if query.get("kind") in WRAPPER_NODE_KINDS:
        source = query.get("source")
        return source if isinstance(source, Mapping) else {}
    return query


def query_kind(query: Any) -> str | None:
    kind = unwrap(query).get("kind")
    return kind if isinstance(kind, str) else None


def alertable_kind(query: Any) -> str | None:
    """``Insight.alertable_query_kind``: the kind when alerts can watch it, else ``None``."""
    kind = query_kind(query)
    return kind if kind in ALERTABLE_KINDS else None


def query_problem(source: Mapping[str, Any], model: str) -> str | None:
    """pydantic's message when ``source`` does not validate as ``model``, else ``None``."""
    issues: list[Issue] = []
    if model in (TRENDS, FUNNELS):
        series = source.get("series")
        if "series" not in source:
            issues.append(Issue("series", "Field required", "missing", dict(source)))
        elif not isinstance(series, list):
            issues.append(Issue("series", "Input should be a valid list", "list_type", series))
    _check_enum(source, "interval", INTERVAL_TYPES, "interval", issues)
    filter_key = _FILTER_KEYS.get(model)
    if filter_key is not None and source.get(filter_key) is not None:
        filters = source[filter_key]
        if not isinstance(filters, Mapping):
            message = f"Input should be a valid dictionary or instance of {_model_name(filter_key)}"
            issues.append(Issue(filter_key, message, "model_type", filters))
        elif model == FUNNELS:
            where = f"{filter_key}.funnelVizType"
            _check_enum(filters, "funnelVizType", FUNNEL_VIZ_TYPES, where, issues)
    return format_issues(model, issues) if issues else None


def _check_enum(
    data: Mapping[str, Any], key: str, choices: tuple[str, ...], loc: str, issues: list[Issue]
) -> None:
    value = data.get(key)
    if value is not None and value not in choices:
        quoted = [f"'{choice}'" for choice in choices]
        message = f"Input should be {', '.join(quoted[:-1])} or {quoted[-1]}"
        issues.append(Issue(loc, message, "enum", value))


def _model_name(filter_key: str) -> str:
    return filter_key[0].upper() + filter_key[1:]


def trends_filter(source: Mapping[str, Any]) -> Mapping[str, Any]:
    value = source.get("trendsFilter")
    return value if isinstance(value, Mapping) else {}


def is_non_time_series(source: Mapping[str, Any]) -> bool:
    """A trend whose display shows one number per series (no time axis)."""
    return trends_filter(source).get("display") in NON_TIME_SERIES_DISPLAYS


def result_count(source: Mapping[str, Any]) -> int:
    """Series an alert can pick from: the formula nodes when the trend uses formulas.

    V reads ``trendsFilter.formulaNodes``; the legacy ``formulas`` / ``formula`` are counted the
    way PostHog's query upgrade turns them into formula nodes.
    """
    filters = trends_filter(source)
    for key in ("formulaNodes", "formulas"):
        formulas = filters.get(key)
        if isinstance(formulas, list) and formulas:
            return len(formulas)
    if isinstance(filters.get("formula"), str) and filters["formula"]:
        return 1
    series = source.get("series")
    return len(series) if isinstance(series, list) else 0


def funnel_viz(source: Mapping[str, Any]) -> str:
    """``funnelsFilter.funnelVizType``; a funnel without one is a steps funnel."""
    filters = source.get("funnelsFilter")
    viz = filters.get("funnelVizType") if isinstance(filters, Mapping) else None
    return viz if isinstance(viz, str) else "steps"


def funnel_step_count(source: Mapping[str, Any]) -> int:
    series = source.get("series")
    return len(series) if isinstance(series, list) else 0


def insight_interval(source: Mapping[str, Any]) -> str:
    """The query's grouping interval; a query without one groups by day."""
    interval = source.get("interval")
    return interval if isinstance(interval, str) else "day"
