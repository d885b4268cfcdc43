"""Anomaly detection (`detector_config`): the detector types, their parameters, the ranges
PostHog checks, and the shape PostHog stores (alerts contract §2.6 and §14.6).

PostHog stores a detector as its pydantic model dumps it: every parameter of the type, with
`null` for the ones not given, recursively for `preprocessing` and each ensemble member.
Both sides are put in that shape before they are compared, numbers as numbers. Parameters
that newer PostHog versions read (`training_offset_n`, `direction`, ...) and unknown types
are passed through as written: the server decides, and its message is shown.
"""

from __future__ import annotations

from typing import Any

from alertsync.core.numbers import number

STATISTICAL: dict[str, tuple[str, ...]] = {
    "zscore": ("threshold", "window"),
    "mad": ("threshold", "window"),
    "iqr": ("multiplier", "window"),
    "threshold": ("lower_bound", "upper_bound"),
    "ecod": ("threshold", "window"),
    "copod": ("threshold", "window"),
    "isolation_forest": ("n_estimators", "threshold", "window"),
    "knn": ("method", "n_neighbors", "threshold", "window"),
    "hbos": ("n_bins", "threshold", "window"),
    "lof": ("n_neighbors", "threshold", "window"),
    "ocsvm": ("kernel", "nu", "threshold", "window"),
    "pca": ("threshold", "window"),
}
ENSEMBLE = "ensemble"
PREPROCESSING = ("diffs_n", "lags_n", "smooth_n")

# param → (low, high, PostHog's label): checked only when not null (contract §2.6.2)
RANGES: dict[str, tuple[float, float, str]] = {
    "threshold": (0.0, 1.0, "Sensitivity threshold"),
    "window": (5, 1000, "Window size"),
    "n_estimators": (10, 500, "Number of trees"),
    "n_neighbors": (1, 50, "Number of neighbors"),
    "n_bins": (5, 50, "Number of bins"),
    "multiplier": (0.5, 10.0, "IQR multiplier"),
    "training_offset_n": (1, 500, "Training offset"),
}
PREPROCESSING_RANGES: dict[str, tuple[float, float, str]] = {
    "smooth_n": (0, 30, "Smoothing window"),
    "lags_n": (0, 10, "Lag features"),
}

# What each type uses when a parameter is null, for plain words (contract §2.6.1).
DEFAULTS: dict[str, dict[str, Any]] = {
    "zscore": {"threshold": 0.9, "window": 30},
    "mad": {"threshold": 0.9, "window": 30},
    "iqr": {"multiplier": 1.5, "window": 30},
    "isolation_forest": {"n_estimators": 100, "threshold": 0.9},
    "knn": {"method": "largest", "n_neighbors": 5, "threshold": 0.9},
    "hbos": {"n_bins": 10, "threshold": 0.9},
    "lof": {"n_neighbors": 20, "threshold": 0.9},
    "ocsvm": {"kernel": "rbf", "nu": 0.1, "threshold": 0.9},
    "ecod": {"threshold": 0.9},
    "copod": {"threshold": 0.9},
    "pca": {"threshold": 0.9},
}


def canonical(raw: Any) -> Any:
    """The detector as PostHog stores it; anything not a detector mapping stays as it is."""
    if not isinstance(raw, dict):
        return raw
    kind = raw.get("type")
    if kind == ENSEMBLE:
        members = raw.get("detectors")
        return {
            "type": ENSEMBLE,
            "operator": raw.get("operator"),
            "detectors": [canonical(m) for m in members] if isinstance(members, list) else members,
        }
    if kind not in STATISTICAL:
        return {k: number(v) for k, v in raw.items()}  # an unknown type: as written
    out: dict[str, Any] = {"type": kind}
    for key in STATISTICAL[kind]:
        out[key] = number(raw.get(key))
    out["preprocessing"] = _preprocessing(raw.get("preprocessing"))
    # Keys a newer PostHog adds: compared when set; null reads the same as absent.
    extra = {k: number(v) for k, v in raw.items() if k not in out and v is not None}
    return {**out, **extra}


def _preprocessing(raw: Any) -> Any:
    if not isinstance(raw, dict):
        return raw
    return {key: number(raw.get(key)) for key in PREPROCESSING}


Found = list[tuple[tuple[str | int, ...], str]]  # (path below detector_config, message)


def range_problems(raw: Any, path: tuple[str | int, ...] = ()) -> Found:
    """PostHog's range checks, on the values as written (each ensemble member too)."""
    if not isinstance(raw, dict):
        return []
    if raw.get("type") == ENSEMBLE:
        members = raw.get("detectors")
        found: Found = []
        for index, member in enumerate(members if isinstance(members, list) else []):
            found += range_problems(member, (*path, "detectors", index))
        return found
    found = _out_of_range(raw, RANGES, path)
    preprocessing = raw.get("preprocessing")
    if isinstance(preprocessing, dict):
        found += _out_of_range(preprocessing, PREPROCESSING_RANGES, (*path, "preprocessing"))
    return found


def _out_of_range(
    values: dict[str, Any], ranges: dict[str, tuple[float, float, str]], path: tuple[str | int, ...]
) -> Found:
    found: Found = []
    for key, (low, high, label) in ranges.items():
        value = values.get(key)
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        if not low <= value <= high:
            message = f"{label} must be between {low} and {high}; PostHog refuses {value}"
            found.append(((*path, key), message))
    return found
