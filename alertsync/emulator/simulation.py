"""The emulator's stand-in for PostHog's detector simulation (contract §3.4): fixed series and
simple scoring rules, so ``POST /alerts/simulate/`` answers deterministically.

The emulator runs no queries and no detection models. Instead:

* **Series.** Point ``i`` of series ``s`` of insight ``n`` is ``base + ((17·i + n) mod 9) - 4``
  with ``base = 40 + (7·n + 13·s) mod 60``; the last (current) point is a spike of
  ``3·base`` when there are at least 8 points.
* **Length.** With ``date_from``, the complete intervals from that moment to now (at most
  1000); without it, the detector's minimum sample count: ``window`` (default 30) plus
  ``training_offset_n`` (default 1), plus 1 for ``diffs_n`` and ``smooth_n`` points; 10 for a
  ``threshold`` detector; the largest member's for an ensemble.
* **Dates.** Trends: the interval starts ending with the last complete one (``2025-06-01`` for
  a day, ``2025-06-01 13:00:00`` for an hour); SQL rows carry none.
* **Scores.** ``threshold``: 1.0 outside ``[lower_bound, upper_bound]``, else 0.0, triggered
  at 1.0. Every other type: ``z / (1 + z)`` where ``z`` is the distance from the mean of the
  preceding ``window`` points (at least 5) in their standard deviations (1 when flat); no score
  for the first ``window`` points; triggered above ``threshold`` (default 0.9), only upwards
  or downwards with ``direction: up``/``down``. An ensemble triggers where all (``and``) or
  any (``or``) of its members trigger, scores the members' minimum/maximum and reports them in
  ``sub_detector_scores``.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

DEFAULT_WINDOW = 30
DEFAULT_THRESHOLD = 0.9
MAX_POINTS = 1000
_STEPS = {
    "second": timedelta(seconds=1),
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
    "month": timedelta(days=30),
    "quarter": timedelta(days=91),
    "year": timedelta(days=365),
}


@dataclass(frozen=True)
class Scored:
    scores: list[float | None]
    triggered: list[int]


def min_samples(detector: Mapping[str, Any]) -> int:
    if detector["type"] == "ensemble":
        return max(min_samples(member) for member in detector["detectors"])
    if detector["type"] == "threshold":
        return 10
    preprocessing = detector.get("preprocessing") or {}
    extra = (1 if preprocessing.get("diffs_n") else 0) + (preprocessing.get("smooth_n") or 0)
    offset = max(detector.get("training_offset_n") or 1, 1)
    return (detector.get("window") or DEFAULT_WINDOW) + offset + extra


def points_since(date_from: datetime, now: datetime, interval: str) -> int:
    step = _STEPS.get(interval, _STEPS["day"])
    return max(1, min(int((now - date_from) / step), MAX_POINTS))


def series_values(insight_id: int, series_index: int, count: int) -> list[float]:
    base = 40 + (7 * insight_id + 13 * series_index) % 60
    values = [float(base + (17 * index + insight_id) % 9 - 4) for index in range(count)]
    if count >= 8:
        values[-1] = float(3 * base)
    return values


def series_dates(interval: str, count: int, now: datetime) -> list[str]:
    """Interval starts, oldest first, ending with the last complete interval before ``now``."""
    step = _STEPS.get(interval, _STEPS["day"])
    current = _interval_start(now, interval)
    starts = [current - step * (count - index) for index in range(count)]
    pattern = "%Y-%m-%d" if step >= _STEPS["day"] else "%Y-%m-%d %H:%M:%S"
    return [start.strftime(pattern) for start in starts]


def _interval_start(now: datetime, interval: str) -> datetime:
    """The start of the interval ``now`` is in (a day's for week-long and longer steps)."""
    if interval == "second":
        return now.replace(microsecond=0)
    if interval == "minute":
        return now.replace(second=0, microsecond=0)
    if interval == "hour":
        return now.replace(minute=0, second=0, microsecond=0)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def score(detector: Mapping[str, Any], values: Sequence[float]) -> tuple[Scored, list[Any]]:
    """The scores and triggered indices, and the ensemble's ``sub_detector_scores``."""
    if detector["type"] != "ensemble":
        return _score_one(detector, values), []
    members = [_score_one(member, values) for member in detector["detectors"]]
    combine = all if detector["operator"] == "and" else any
    pick = min if detector["operator"] == "and" else max
    scores: list[float | None] = []
    for index in range(len(values)):
        known = [member.scores[index] for member in members if member.scores[index] is not None]
        scores.append(pick(value for value in known if value is not None) if known else None)
    triggered = [
        index
        for index in range(len(values))
        if combine(index in member.triggered for member in members)
    ]
    subs = [
        {"type": member_config["type"], "scores": member.scores}
        for member_config, member in zip(detector["detectors"], members, strict=True)
    ]
    return Scored(scores, triggered), subs


def _score_one(detector: Mapping[str, Any], values: Sequence[float]) -> Scored:
    if detector["type"] == "threshold":
        low, high = detector.get("lower_bound"), detector.get("upper_bound")
        flags = [(low is not None and v < low) or (high is not None and v > high) for v in values]
        return Scored(
            [1.0 if flag else 0.0 for flag in flags], [i for i, f in enumerate(flags) if f]
        )
    window = max(detector.get("window") or DEFAULT_WINDOW, 5)
    threshold = detector.get("threshold")
    limit = DEFAULT_THRESHOLD if threshold is None else threshold
    direction = detector.get("direction") or "both"
    scores: list[float | None] = []
    triggered: list[int] = []
    for index, value in enumerate(values):
        if index < window:
            scores.append(None)
            continue
        history = values[index - window : index]
        mean = statistics.fmean(history)
        spread = statistics.pstdev(history) or 1.0
        distance = abs(value - mean) / spread
        value_score = distance / (1 + distance)
        scores.append(value_score)
        allowed = direction == "both" or (direction == "up") == (value >= mean)
        if allowed and value_score > limit:
            triggered.append(index)
    return Scored(scores, triggered)
