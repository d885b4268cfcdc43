"""The four alert ``config`` models of ``posthog/schema.py`` (contract §2.5.1-§2.5.4).

Each parser plays ``<Model>.model_validate`` with pydantic's lax coercions and
``extra="forbid"``: it returns the parsed values, or ``None`` when the config does not
validate (PostHog's message then quotes the config itself, not pydantic's text). ``type``
has already been matched by the caller, the union's discriminator.

* ``TrendsAlertConfig {series_index: int, check_ongoing_interval?: bool|null}``
* ``HogQLAlertConfig {evaluation: "last_row"|"first_row"|"any_row", column?: str|null,
  label_column?: str|null}`` (``evaluation`` is required: an explicit choice)
* ``FunnelsAlertConfig {metric: "conversion_from_start"|"conversion_from_previous",
  funnel_step?: int|null, check_ongoing_interval?: bool|null}``
* ``MetricsAlertConfig {check_ongoing_interval?: bool|null}``
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from alertsync.emulator.pydantic_models import Issue, format_issues, is_one_of, lax_bool, lax_int

TRENDS_CONFIG = "TrendsAlertConfig"
HOGQL_CONFIG = "HogQLAlertConfig"
FUNNELS_CONFIG = "FunnelsAlertConfig"
METRICS_CONFIG = "MetricsAlertConfig"
CONFIG_TYPES = (TRENDS_CONFIG, HOGQL_CONFIG, FUNNELS_CONFIG, METRICS_CONFIG)
HOGQL_EVALUATIONS = ("last_row", "first_row", "any_row")
FUNNEL_METRICS = ("conversion_from_start", "conversion_from_previous")


@dataclass(frozen=True)
class TrendsConfig:
    series_index: int
    check_ongoing_interval: bool


@dataclass(frozen=True)
class HogQLConfig:
    evaluation: str
    column: str | None
    label_column: str | None


@dataclass(frozen=True)
class FunnelsConfig:
    metric: str
    funnel_step: int | None
    check_ongoing_interval: bool


@dataclass(frozen=True)
class MetricsConfig:
    check_ongoing_interval: bool


def parse_trends_config(value: Mapping[str, Any]) -> TrendsConfig | None:
    if not _keys_allowed(value, "series_index", "check_ongoing_interval"):
        return None
    series_index = lax_int(value.get("series_index"))
    ongoing = lax_bool(value.get("check_ongoing_interval"))
    if series_index is None or ongoing is None:
        return None
    return TrendsConfig(series_index, ongoing)


def parse_hogql_config(value: Mapping[str, Any]) -> HogQLConfig | None:
    if not _keys_allowed(value, "evaluation", "column", "label_column"):
        return None
    evaluation = value.get("evaluation")
    column, label_column = value.get("column"), value.get("label_column")
    if not isinstance(evaluation, str) or not is_one_of(evaluation, HOGQL_EVALUATIONS):
        return None
    if not (_optional_text(column) and _optional_text(label_column)):
        return None
    return HogQLConfig(evaluation, column, label_column)


def parse_funnels_config(value: Mapping[str, Any]) -> FunnelsConfig | None:
    if not _keys_allowed(value, "metric", "funnel_step", "check_ongoing_interval"):
        return None
    metric = value.get("metric")
    step = value.get("funnel_step")
    funnel_step = None if step is None else lax_int(step)
    ongoing = lax_bool(value.get("check_ongoing_interval"))
    if not isinstance(metric, str) or not is_one_of(metric, FUNNEL_METRICS) or ongoing is None:
        return None
    if step is not None and funnel_step is None:
        return None
    return FunnelsConfig(metric, funnel_step, ongoing)


def parse_metrics_config(value: Mapping[str, Any]) -> MetricsConfig | None:
    if not _keys_allowed(value, "check_ongoing_interval"):
        return None
    ongoing = lax_bool(value.get("check_ongoing_interval"))
    return None if ongoing is None else MetricsConfig(ongoing)


def _keys_allowed(value: Mapping[str, Any], *keys: str) -> bool:
    return set(value) <= {"type", *keys}


def _optional_text(value: Any) -> bool:
    return value is None or isinstance(value, str)


def hogql_config_problem(value: Any) -> str | None:
    """pydantic's ``str(ValidationError)`` for a ``HogQLAlertConfig``, or ``None`` when valid
    (what the simulation answers: it validates ``config`` itself)."""
    if not isinstance(value, Mapping):
        message = "Input should be a valid dictionary or instance of HogQLAlertConfig"
        return format_issues(HOGQL_CONFIG, [Issue("", message, "model_type", value)])
    issues: list[Issue] = []
    if "type" in value and value["type"] != HOGQL_CONFIG:
        message = f"Input should be '{HOGQL_CONFIG}'"
        issues.append(Issue("type", message, "literal_error", value["type"]))
    if "evaluation" not in value:
        issues.append(Issue("evaluation", "Field required", "missing", dict(value)))
    elif not is_one_of(value["evaluation"], HOGQL_EVALUATIONS):
        message = "Input should be 'last_row', 'first_row' or 'any_row'"
        issues.append(Issue("evaluation", message, "enum", value["evaluation"]))
    for key in ("column", "label_column"):
        if not _optional_text(value.get(key)):
            issues.append(Issue(key, "Input should be a valid string", "string_type", value[key]))
    allowed = {"type", "evaluation", "column", "label_column"}
    issues += [
        Issue(key, "Extra inputs are not permitted", "extra_forbidden", value[key])
        for key in value
        if key not in allowed
    ]
    return format_issues(HOGQL_CONFIG, issues) if issues else None
