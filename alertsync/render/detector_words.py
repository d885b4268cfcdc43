"""Plain words for anomaly detection: "z-score over the last 30 points, sensitivity 0.95"."""

from __future__ import annotations

from typing import Any

from alertsync.core.detectors import DEFAULTS, ENSEMBLE

NAMES = {
    "zscore": "z-score",
    "mad": "median absolute deviation",
    "iqr": "interquartile range",
    "threshold": "fixed bounds",
    "ecod": "ECOD",
    "copod": "COPOD",
    "isolation_forest": "isolation forest",
    "knn": "nearest neighbours",
    "hbos": "histogram outlier score",
    "lof": "local outlier factor",
    "ocsvm": "one-class SVM",
    "pca": "PCA reconstruction error",
}


def _value(detector: dict[str, Any], key: str) -> tuple[Any, bool]:
    """The parameter, or the detector's default (and whether it is the default)."""
    value = detector.get(key)
    if value is None:
        return DEFAULTS.get(str(detector.get("type")), {}).get(key), True
    return value, False


def one(detector: Any) -> str:
    if not isinstance(detector, dict):
        return "an unreadable detector"
    kind = str(detector.get("type"))
    name = NAMES.get(kind, kind)
    parts = []
    if kind == "threshold":
        low, high = detector.get("lower_bound"), detector.get("upper_bound")
        outside = " and ".join(
            f"{word} {value:g}"
            for word, value in (("below", low), ("above", high))
            if value is not None
        )
        return f"{name} (points {outside or 'anywhere'})"
    window, default_window = _value(detector, "window")
    if window is not None:
        parts.append(f"over the last {window} points" + (" (default)" if default_window else ""))
    elif "window" in detector:
        parts.append("over a window set by the check interval")
    for key, word in (("threshold", "sensitivity"), ("multiplier", "multiplier")):
        value, default = _value(detector, key)
        if key in detector and value is not None:
            parts.append(f"{word} {value:g}" + (" (default)" if default else ""))
    preprocessing = detector.get("preprocessing")
    if isinstance(preprocessing, dict):
        if preprocessing.get("diffs_n"):
            parts.append(f"on differences of order {preprocessing['diffs_n']}")
        if preprocessing.get("smooth_n"):
            parts.append(f"smoothed over {preprocessing['smooth_n']} points")
    direction = detector.get("direction")
    if direction in ("up", "down"):
        parts.append("spikes only" if direction == "up" else "drops only")
    return f"{name} {', '.join(parts)}".strip()


def sentence(detector: Any) -> str:
    """'Anomaly detection: z-score over the last 30 points, sensitivity 0.95.'"""
    if isinstance(detector, dict) and detector.get("type") == ENSEMBLE:
        members: list[Any] = (
            detector["detectors"] if isinstance(detector.get("detectors"), list) else []
        )
        joined = "; ".join(one(m) for m in members)
        which = "all" if detector.get("operator") == "and" else "any"
        return f"Anomaly detection: fires when {which} of these flag a point: {joined}."
    return f"Anomaly detection: {one(detector)}."
