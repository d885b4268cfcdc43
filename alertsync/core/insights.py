"""What an alert's insight allows, and the rules PostHog applies to an alert against it.

`plan` reads every insight the files reference (their InsightBasic objects carry the query),
so the rules PostHog checks on create and update (alerts contract §2.5, §2.6.2, §5) are
checked before anything is written, at the alert's `file:line:col`: the insight's kind
against the config's, a relative condition on a display that is not a time series, a
series or funnel step out of range, a condition or metric a funnel's visualisation does not
support, anomaly detection on a kind without it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from alertsync.core.canonical import (
    FUNNELS_CONFIG,
    HOGQL_CONFIG,
    METRICS_CONFIG,
    TRENDS_CONFIG,
)
from alertsync.model import Canonical, InsightFacts, PathKey

WRAPPERS = ("DataTableNode", "DataVisualizationNode", "InsightVizNode")
CONFIG_FOR = {
    "TrendsQuery": TRENDS_CONFIG,
    "HogQLQuery": HOGQL_CONFIG,
    "FunnelsQuery": FUNNELS_CONFIG,
    "MetricsQuery": METRICS_CONFIG,
}
KIND_WORDS = {
    "TrendsQuery": "a trends insight",
    "HogQLQuery": "an SQL insight",
    "FunnelsQuery": "a funnel insight",
    "MetricsQuery": "a metrics insight",
}
NON_TIME_SERIES = (
    "BoldNumber",
    "ActionsPie",
    "ActionsDonut",
    "ActionsBarValue",
    "ActionsTable",
    "WorldMap",
)
WITH_DETECTOR = ("TrendsQuery", "HogQLQuery")  # kinds with a detector extractor
FUNNEL_VIZ = ("steps", "trends")
RELATIVE = ("relative_increase", "relative_decrease")


def facts_of(query: Any) -> InsightFacts:
    """What the rules need to know of an insight's query."""
    source = query
    if isinstance(source, Mapping) and source.get("kind") in WRAPPERS:
        source = source.get("source")
    if not isinstance(source, Mapping):
        return InsightFacts(kind=None)
    kind = source.get("kind")
    series = source.get("series")
    count = len(series) if isinstance(series, list) else 0
    trends_filter = _mapping(source.get("trendsFilter"))
    formulas = trends_filter.get("formulaNodes") or trends_filter.get("formulas")
    if isinstance(formulas, list) and formulas:
        count = len(formulas)
    elif isinstance(trends_filter.get("formula"), str) and trends_filter["formula"]:
        count = 1
    display = trends_filter.get("display")
    viz = _mapping(source.get("funnelsFilter")).get("funnelVizType") or "steps"
    return InsightFacts(
        kind=str(kind) if kind is not None else None,
        display=str(display) if isinstance(display, str) else None,
        series=count,
        interval=str(source.get("interval") or "day"),
        funnel_viz=str(viz) if kind == "FunnelsQuery" else None,
    )


def series_names(query: Any) -> tuple[str, ...]:
    """A trends insight's series as PostHog's UI names them, in the order `series_index`
    counts them: each formula (its custom name, else the formula) when the insight has
    formulas, else each series (its custom name, else its name, else its event)."""
    source = query
    if isinstance(source, Mapping) and source.get("kind") in WRAPPERS:
        source = source.get("source")
    if not isinstance(source, Mapping) or source.get("kind") != "TrendsQuery":
        return ()
    trends_filter = _mapping(source.get("trendsFilter"))
    formulas = trends_filter.get("formulaNodes") or trends_filter.get("formulas")
    if isinstance(formulas, list) and formulas:
        return tuple(_formula_name(f) for f in formulas)
    if isinstance(trends_filter.get("formula"), str) and trends_filter["formula"]:
        return (trends_filter["formula"],)
    series = source.get("series")
    return tuple(_series_name(s) for s in series) if isinstance(series, list) else ()


def _formula_name(node: Any) -> str:
    if isinstance(node, Mapping):
        return str(node.get("custom_name") or node.get("formula") or "formula")
    return str(node)


def _series_name(node: Any) -> str:
    node = _mapping(node)
    for key in ("custom_name", "name"):
        if isinstance(node.get(key), str) and node[key]:
            return str(node[key])
    if node.get("kind") == "EventsNode":
        return str(node.get("event") or "All events")
    if node.get("kind") == "ActionsNode":
        return f"action {node.get('id')}"
    if node.get("kind") == "DataWarehouseNode":
        return str(node.get("table_name") or "data warehouse")
    return str(node.get("kind") or "series")


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def insight_problems(spec: Canonical, facts: InsightFacts) -> Iterator[tuple[PathKey, str]]:
    """(field path, message) for each rule PostHog would refuse the alert on."""
    kind = facts.kind
    config = _mapping(spec.get("config"))
    wanted = config.get("type")
    if kind not in CONFIG_FOR:
        yield (
            ("insight",),
            (
                f"PostHog does not support alerts on this insight (it is a {kind or 'query-less'} "
                "insight); alerts work on trends, SQL, funnel and metrics insights"
            ),
        )
        return
    if wanted != CONFIG_FOR[kind]:
        yield (
            ("config", "type"),
            (
                f"the insight is {KIND_WORDS[kind]} ({kind}), so config.type must be "
                f"{CONFIG_FOR[kind]}, not {wanted}"
            ),
        )
        return
    condition = _mapping(spec.get("condition")).get("type")
    if spec.get("detector_config") is not None and kind not in WITH_DETECTOR:
        yield (
            ("detector_config",),
            (
                f"anomaly detection isn't supported for {kind} insights (PostHog offers it on "
                "trends and SQL insights)"
            ),
        )
    if kind == "TrendsQuery":
        yield from _trends(config, condition, facts)
    elif kind == "FunnelsQuery":
        yield from _funnels(config, condition, facts)


def _trends(
    config: Mapping[str, Any], condition: Any, facts: InsightFacts
) -> Iterator[tuple[PathKey, str]]:
    if condition in RELATIVE and facts.display in NON_TIME_SERIES:
        yield (
            ("condition", "type"),
            (
                f"the insight is shown as {facts.display}, not a time series, so PostHog refuses "
                f"the {condition} condition; use absolute_value"
            ),
        )
    index = config.get("series_index")
    if isinstance(index, int) and index >= facts.series:
        has = f"{facts.series} series (0 to {facts.series - 1})" if facts.series else "no series"
        yield (
            ("config", "series_index"),
            f"series_index {index} is out of range: the insight has {has}",
        )


def _funnels(
    config: Mapping[str, Any], condition: Any, facts: InsightFacts
) -> Iterator[tuple[PathKey, str]]:
    viz = facts.funnel_viz or "steps"
    if viz not in FUNNEL_VIZ:
        yield (
            ("insight",),
            (
                f"PostHog does not support alerts on funnels shown as {viz!r}; only the steps "
                "and historical-trends visualisations"
            ),
        )
        return
    if viz != "steps":
        return
    if condition in RELATIVE:
        yield (
            ("condition", "type"),
            (
                "this funnel shows steps, which only supports the absolute_value condition "
                "(relative conditions need the historical-trends visualisation)"
            ),
        )
    step = config.get("funnel_step")
    if isinstance(step, int) and step >= facts.series:
        yield (
            ("config", "funnel_step"),
            (
                f"funnel_step {step} is out of range: the funnel has {facts.series} steps "
                f"(0 to {facts.series - 1})"
            ),
        )
    if step == 0 and config.get("metric") == "conversion_from_previous":
        yield (
            ("config", "metric"),
            ("conversion_from_previous is undefined at the first step: use conversion_from_start"),
        )
