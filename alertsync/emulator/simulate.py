"""``POST …/alerts/simulate/`` (contract §3.4): S ``AlertSimulateSerializer`` and the view.

Request fields, validated in this order (the first failing field answers):

* ``insight`` (required): a saved insight's short id, else its numeric id; then viewer access
  and the insight-kind gate with its feature flag, as on create;
* ``detector_config``: omitted or null means ``{"type": "zscore", "threshold": 0.95,
  "window": 30}``; validated like an alert's (§2.6.2) and normalised;
* ``series_index`` (integer, default 0; trends only), ``date_from`` (a relative date such as
  ``-30d``, or null), ``config`` (for SQL insights: the ``HogQLAlertConfig`` that picks the
  evaluated column and the read direction).

Then the simulation: kinds without a detector extractor, a trend's out-of-range series, SQL
``any_row`` and unusable SQL columns are refused with 400s; the numbers come from the
deterministic stand-in of :mod:`~alertsync.emulator.simulation`. Nothing is stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from alertsync.emulator import queries
from alertsync.emulator.alert_config import DETECTOR_KINDS
from alertsync.emulator.config_models import hogql_config_problem, parse_hogql_config
from alertsync.emulator.detectors import DetectorError, RawComparisonError, normalize_detector
from alertsync.emulator.drf import FieldError, not_null, required, to_char, to_pk, type_name
from alertsync.emulator.insight_gates import kind_gate_error, viewer_error
from alertsync.emulator.refusals import server_error, validation_error
from alertsync.emulator.relative_dates import relative_date_parse
from alertsync.emulator.seed import ApiKey, Insight, Seed
from alertsync.emulator.simulation import (
    min_samples,
    points_since,
    score,
    series_dates,
    series_values,
)
from alertsync.emulator.sql_columns import column_problem

DEFAULT_DETECTOR = {"type": "zscore", "threshold": 0.95, "window": 30}
ANY_ROW_REFUSED = (
    "Anomaly detection isn't supported for any-row SQL alerts — its rows are unrelated "
    "entities, not a time series. Use last-row or first-row evaluation."
)
_DECIMAL_TAIL = re.compile(r"\.0*\s*$")
_NO_MAX_LENGTH = 1 << 31


def simulate(body: Any, seed: Seed, key: ApiKey, now: datetime) -> dict[str, Any]:
    """The 200 body, or an ``ApiError``."""
    if not isinstance(body, Mapping):
        raise validation_error(f"Invalid data. Expected a dictionary, but got {type_name(body)}.")
    insight = _field("insight", body, lambda value: _insight(value, seed, key.user_id))
    detector = _field("detector_config", body, _detector, default=None, nullable=True)
    series_index = _field("series_index", body, _integer, default=0)
    date_from = _field("date_from", body, _text, default=None, nullable=True)
    detector = detector or normalize_detector(DEFAULT_DETECTOR)
    return _run(insight, detector, series_index, date_from, body.get("config"), now)


_REQUIRED: Any = object()


def _field(
    name: str,
    body: Mapping[str, Any],
    check: Callable[[Any], Any],
    *,
    default: Any = _REQUIRED,
    nullable: bool = False,
) -> Any:
    """One serializer field: required or defaulted, nullable or not, then its check."""
    try:
        if name not in body:
            if default is _REQUIRED:
                raise required()
            return default
        if body[name] is None:
            if not nullable:
                raise not_null()
            return None
        return check(body[name])
    except FieldError as error:
        raise validation_error(error.detail, error.code, name) from None


def _insight(value: Any, seed: Seed, user_id: int) -> Insight:
    """``TeamScopedInsightReferenceField``: a short id first, then a primary key."""
    live = [insight for insight in seed.insights.values() if not insight.deleted]
    if value == "":
        raise not_null()
    if isinstance(value, str):
        by_short_id = {insight.short_id: insight for insight in live}
        if value.strip() in by_short_id:
            return _gated(by_short_id[value.strip()], seed, user_id)
    pk = to_pk(value, {insight.id for insight in live})
    return _gated(seed.insights[pk], seed, user_id)


def _gated(insight: Insight, seed: Seed, user_id: int) -> Insight:
    problem = viewer_error(seed, user_id, insight) or kind_gate_error(seed, insight)
    if problem is not None:
        raise FieldError(problem)
    return insight


def _text(value: Any) -> str:
    """DRF ``CharField`` (no blank)."""
    text = to_char(value, max_length=_NO_MAX_LENGTH)
    if not text:
        raise FieldError("This field may not be blank.", "blank")
    return text


def _detector(value: Any) -> dict[str, Any]:
    try:
        return normalize_detector(value)
    except DetectorError as error:
        raise FieldError(str(error)) from None
    except RawComparisonError:
        raise server_error() from None


def _integer(value: Any) -> int:
    """DRF ``IntegerField``."""
    try:
        return int(_DECIMAL_TAIL.sub("", str(value)))
    except ValueError:
        raise FieldError("A valid integer is required.") from None


def _run(
    insight: Insight,
    detector: dict[str, Any],
    series_index: int,
    date_from: str | None,
    config: Any,
    now: datetime,
) -> dict[str, Any]:
    if insight.query is None:
        raise validation_error("Insight has no valid query.")
    source, kind = queries.unwrap(insight.query), queries.query_kind(insight.query)
    if kind not in DETECTOR_KINDS:
        raise validation_error(f"Anomaly detection simulation isn't supported for {kind} insights")
    if kind == queries.TRENDS:
        count = queries.result_count(source)
        if not 0 <= series_index < count:
            detail = f"series_index {series_index} is out of range (query has {count} series)"
            raise validation_error(detail)
        interval = queries.insight_interval(source)
        points = min_samples(detector)
        if date_from:
            points = points_since(relative_date_parse(date_from, now), now, interval)
        dates = series_dates(interval, points, now)
        return _result(series_values(insight.id, series_index, points), dates, detector, interval)
    _check_sql(insight, config)
    points = min_samples(detector)
    return _result(series_values(insight.id, 0, points), [], detector, None)


def _check_sql(insight: Insight, config: Any) -> None:
    raw = {"type": "HogQLAlertConfig", "evaluation": "last_row"} if config is None else config
    problem = hogql_config_problem(raw)
    parsed = parse_hogql_config(raw) if problem is None else None
    if parsed is None:
        raise validation_error(problem or f"Alert has invalid HogQLAlertConfig: {raw}")
    if parsed.evaluation == "any_row":
        raise validation_error(ANY_ROW_REFUSED)
    columns = column_problem(parsed.column, parsed.label_column, insight.columns)
    if columns is not None:
        raise validation_error(columns)


def _result(
    values: list[float], dates: list[str], detector: dict[str, Any], interval: str | None
) -> dict[str, Any]:
    scored, subs = score(detector, values)
    result: dict[str, Any] = {
        "data": values,
        "dates": dates,
        "scores": scored.scores,
        "triggered_indices": scored.triggered,
        "triggered_dates": [dates[index] for index in scored.triggered if index < len(dates)],
        "interval": interval,
        "total_points": len(values),
        "anomaly_count": len(scored.triggered),
    }
    if subs:
        result["sub_detector_scores"] = subs
    return result
