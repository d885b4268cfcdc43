"""The pydantic models PostHog validates alert JSON with (``posthog/schema.py``).

Both forbid extra keys and use pydantic's lax coercion (``"5"`` is a valid float):

* ``InsightThreshold {type: "absolute"|"percentage", bounds?: {lower?, upper?}}``
* ``AlertCondition {type: "absolute_value"|"relative_increase"|"relative_decrease"}``

Threshold failures carry a pydantic-style message; a condition only needs pass/fail. The lax
coercions are shared with :mod:`~alertsync.emulator.config_models` and
:mod:`~alertsync.emulator.detectors`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

THRESHOLD_TYPES = ("absolute", "percentage")
CONDITION_TYPES = ("absolute_value", "relative_increase", "relative_decrease")
_BOOL_STRINGS = {
    **dict.fromkeys(("0", "off", "f", "false", "n", "no"), False),
    **dict.fromkeys(("1", "on", "t", "true", "y", "yes"), True),
}


class SchemaError(ValueError):
    """The value does not fit the model; the message is pydantic's."""


@dataclass(frozen=True)
class Issue:
    loc: str
    message: str
    kind: str
    value: Any


@dataclass(frozen=True)
class ThresholdConfig:
    type: str
    lower: float | None
    upper: float | None

    @property
    def has_bounds(self) -> bool:
        return self.lower is not None or self.upper is not None


def parse_threshold(value: Any) -> ThresholdConfig:
    """Validate an ``InsightThreshold``; raises :class:`SchemaError` listing every issue."""
    if not isinstance(value, Mapping):
        message = "Input should be a valid dictionary or instance of InsightThreshold"
        raise SchemaError(
            format_issues("InsightThreshold", [Issue("", message, "model_type", value)])
        )
    issues: list[Issue] = []
    lower, upper = _bounds(value.get("bounds"), issues)
    if "type" not in value:
        issues.append(Issue("type", "Field required", "missing", dict(value)))
    elif not is_one_of(value["type"], THRESHOLD_TYPES):
        issues.append(
            Issue("type", "Input should be 'absolute' or 'percentage'", "enum", value["type"])
        )
    issues += _extra_keys(value, ("bounds", "type"), "")
    if issues:
        raise SchemaError(format_issues("InsightThreshold", issues))
    return ThresholdConfig(value["type"], lower, upper)


def _bounds(value: Any, issues: list[Issue]) -> tuple[float | None, float | None]:
    if value is None:
        return None, None
    if not isinstance(value, Mapping):
        message = "Input should be a valid dictionary or instance of InsightsThresholdBounds"
        issues.append(Issue("bounds", message, "model_type", value))
        return None, None
    lower = _float(value.get("lower"), "bounds.lower", issues)
    upper = _float(value.get("upper"), "bounds.upper", issues)
    issues += _extra_keys(value, ("lower", "upper"), "bounds.")
    return lower, upper


def _float(value: Any, loc: str, issues: list[Issue]) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            message = "Input should be a valid number, unable to parse string as a number"
            issues.append(Issue(loc, message, "float_parsing", value))
            return None
    issues.append(Issue(loc, "Input should be a valid number", "float_type", value))
    return None


def is_valid_condition(value: Any) -> bool:
    """``AlertCondition``: exactly ``{"type": <AlertConditionType>}``."""
    return (
        isinstance(value, Mapping)
        and set(value) == {"type"}
        and is_one_of(value["type"], CONDITION_TYPES)
    )


def lax_int(value: Any) -> int | None:
    """pydantic's lax ``int``: ints, bools, integral floats and integer strings."""
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def lax_bool(value: Any) -> bool | None:
    """pydantic's lax optional ``bool`` (``None`` reads as ``False``); ``None`` when invalid."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        return _BOOL_STRINGS.get(value.strip().lower())
    return None


def is_one_of(value: Any, choices: tuple[str, ...]) -> bool:
    return isinstance(value, str) and value in choices


def _extra_keys(value: Mapping[str, Any], allowed: tuple[str, ...], prefix: str) -> list[Issue]:
    return [
        Issue(f"{prefix}{key}", "Extra inputs are not permitted", "extra_forbidden", value[key])
        for key in value
        if key not in allowed
    ]


def format_issues(model: str, issues: list[Issue]) -> str:
    """pydantic's ``str(ValidationError)`` layout (without the documentation links)."""
    plural = "" if len(issues) == 1 else "s"
    lines = [f"{len(issues)} validation error{plural} for {model}"]
    for issue in issues:
        if issue.loc:
            lines.append(issue.loc)
        value, kind = issue.value, type(issue.value).__name__
        lines.append(
            f"  {issue.message} [type={issue.kind}, input_value={value!r}, input_type={kind}]"
        )
    return "\n".join(lines)
