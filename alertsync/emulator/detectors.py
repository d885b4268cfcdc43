"""``detector_config`` (anomaly detection): the schema, its validation and its stored shape
(contract §2.6, S ``validate_detector_config``).

1. ``DetectorConfig.model_validate``: a known ``type``, every parameter of the right type or
   null, no unknown key (the schema models forbid extras), ``ensemble`` with its required
   ``operator`` and ``detectors``. Any failure: ``Invalid detector configuration.``
2. ``ensemble`` with fewer than 2 sub-detectors: its own message.
3. Range checks, only for non-null values, on the **raw** body (on each dumped sub-detector
   for an ensemble), with PostHog's ``f"{label} must be between {min} and {max}."``. A numeric
   string passes the lax schema and then fails PostHog's comparison with a ``TypeError``: a
   500, reproduced here as :class:`RawComparisonError`.
4. The stored and returned value is the model dump: every key of the type with ``null`` for
   omitted ones, numbers as the model's type (``10`` for a float field is ``10.0``),
   recursively for ``preprocessing`` and the ensemble members; keys in the generated model's
   (alphabetical) order.

``training_offset_n`` (range-checked 1-500) and ``direction`` (``both``/``up``/``down``) are
read by newer detector code and accepted on every statistical type, as the contract asks;
the schema versions read do not declare them, so they are stored and returned only when sent.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from alertsync.emulator.pydantic_models import lax_int

INVALID = "Invalid detector configuration."
ENSEMBLE_TOO_SMALL = "Ensemble detector requires at least 2 sub-detectors."


class DetectorError(ValueError):
    """The detector config is refused; the message is PostHog's."""


class RawComparisonError(TypeError):
    """PostHog compared a raw non-number with a bound: it answers 500."""


class _Invalid(Exception):
    pass


def _integer(value: Any) -> int:
    number = lax_int(value)
    if number is None:
        raise _Invalid
    return number


def _number(value: Any) -> float:
    if isinstance(value, bool | int | float):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise _Invalid from None
        if math.isfinite(number):
            return number
    raise _Invalid


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid
    return value


def _choice(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise _Invalid
        return str(value)

    return check


Coerce = Callable[[Any], Any]
_WINDOWED: dict[str, Coerce] = {"threshold": _number, "window": _integer}
PARAMETERS: dict[str, dict[str, Coerce]] = {
    "zscore": _WINDOWED,
    "mad": _WINDOWED,
    "iqr": {"multiplier": _number, "window": _integer},
    "threshold": {"lower_bound": _number, "upper_bound": _number},
    "ecod": _WINDOWED,
    "copod": _WINDOWED,
    "isolation_forest": {"n_estimators": _integer, **_WINDOWED},
    "knn": {"method": _choice("largest", "mean", "median"), "n_neighbors": _integer, **_WINDOWED},
    "hbos": {"n_bins": _integer, **_WINDOWED},
    "lof": {"n_neighbors": _integer, **_WINDOWED},
    "ocsvm": {"kernel": _text, "nu": _number, **_WINDOWED},
    "pca": _WINDOWED,
}
DETECTOR_TYPES = (*PARAMETERS, "ensemble")
EXTENSIONS: dict[str, Coerce] = {
    "training_offset_n": _integer,
    "direction": _choice("both", "up", "down"),
}
PREPROCESSING: dict[str, Coerce] = {"diffs_n": _integer, "lags_n": _integer, "smooth_n": _integer}
RANGES: tuple[tuple[str, float, float, str], ...] = (
    ("threshold", 0.0, 1.0, "Sensitivity threshold"),
    ("window", 5, 1000, "Window size"),
    ("n_estimators", 10, 500, "Number of trees"),
    ("n_neighbors", 1, 50, "Number of neighbors"),
    ("n_bins", 5, 50, "Number of bins"),
    ("multiplier", 0.5, 10.0, "IQR multiplier"),
    ("training_offset_n", 1, 500, "Training offset"),
)
PREPROCESSING_RANGES = (
    ("smooth_n", 0, 30, "Smoothing window"),
    ("lags_n", 0, 10, "Lag features"),
)


def normalize_detector(value: Any) -> dict[str, Any]:
    """The stored form of ``value``; raises :class:`DetectorError` (or
    :class:`RawComparisonError`) when PostHog would refuse it."""
    try:
        dumped = _dump(value, allow_ensemble=True)
    except _Invalid:
        raise DetectorError(INVALID) from None
    if dumped["type"] == "ensemble":
        if len(dumped["detectors"]) < 2:
            raise DetectorError(ENSEMBLE_TOO_SMALL)
        for member in dumped["detectors"]:
            check_ranges(member)
    else:
        check_ranges(value)
    return dumped


def _dump(value: Any, *, allow_ensemble: bool) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise _Invalid
    kind = value.get("type")
    if kind == "ensemble" and allow_ensemble:
        return _dump_ensemble(value)
    if not isinstance(kind, str) or kind not in PARAMETERS:
        raise _Invalid
    fields = {**PARAMETERS[kind], "preprocessing": _preprocessing}
    if set(value) - {"type", *fields, *EXTENSIONS}:
        raise _Invalid
    dumped: dict[str, Any] = {"type": kind}
    for name, coerce in fields.items():
        dumped[name] = None if value.get(name) is None else coerce(value[name])
    for name, coerce in EXTENSIONS.items():
        if name in value:
            dumped[name] = None if value[name] is None else coerce(value[name])
    return dict(sorted(dumped.items()))


def _dump_ensemble(value: Mapping[str, Any]) -> dict[str, Any]:
    if set(value) - {"type", "operator", "detectors"}:
        raise _Invalid
    members = value.get("detectors")
    if not isinstance(members, list):
        raise _Invalid
    return {
        "detectors": [_dump(member, allow_ensemble=False) for member in members],
        "operator": _choice("and", "or")(value.get("operator")),
        "type": "ensemble",
    }


def _preprocessing(value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping) or set(value) - set(PREPROCESSING):
        raise _Invalid
    return {
        name: None if value.get(name) is None else coerce(value[name])
        for name, coerce in PREPROCESSING.items()
    }


def check_ranges(config: Mapping[str, Any]) -> None:
    """S ``_validate_detector_params``: the first parameter outside its range refuses."""
    for name, low, high, label in RANGES:
        _check_range(config.get(name), low, high, f"{label} must be between {low} and {high}.")
    preprocessing = config.get("preprocessing")
    if preprocessing and isinstance(preprocessing, Mapping):
        for name, low, high, label in PREPROCESSING_RANGES:
            message = f"{label} must be between {low} and {high}."
            _check_range(preprocessing.get(name), low, high, message)


def _check_range(value: Any, low: float, high: float, message: str) -> None:
    if value is None:
        return
    if isinstance(value, str) or not isinstance(value, int | float):
        raise RawComparisonError(f"'<' not supported between {type(value).__name__} and number")
    if value < low or value > high:
        raise DetectorError(message)
