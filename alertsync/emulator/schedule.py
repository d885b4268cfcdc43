"""``schedule_restriction`` (quiet hours): validation and normalisation (contract §2.7).

Shape: ``{"blocked_windows": [{"start": "HH:MM", "end": "HH:MM"}, ...]}``, half-open windows
in project-local time that may wrap midnight. Normalisation merges overlapping windows
(sorted by start) and turns an empty list into ``null``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

INVALID = "Invalid schedule restriction."
MAX_WINDOWS = 5
MIN_WINDOW_MINUTES = 30
_DAY = 24 * 60
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class ScheduleError(ValueError):
    """The value is not a valid schedule restriction."""


def normalize_schedule(value: Any) -> dict[str, Any] | None:
    """The stored form of ``value``; raises :class:`ScheduleError` when it is invalid."""
    if value is None:
        return None
    if not isinstance(value, Mapping) or not isinstance(value.get("blocked_windows"), list):
        raise ScheduleError(INVALID)
    windows = [_window(item) for item in value["blocked_windows"]]
    if not windows:
        return None
    if len(windows) > MAX_WINDOWS or _covers_whole_day(windows):
        raise ScheduleError(INVALID)
    return {"blocked_windows": [_render(start, end) for start, end in _merge(windows)]}


def _window(item: Any) -> tuple[int, int]:
    """A window as (start, end) minutes; ``end`` > ``start``, past 1440 when it wraps."""
    if not isinstance(item, Mapping):
        raise ScheduleError(INVALID)
    start, end = _minutes(item.get("start")), _minutes(item.get("end"))
    if end <= start:
        end += _DAY
    if end - start < MIN_WINDOW_MINUTES or end - start >= _DAY:
        raise ScheduleError(INVALID)
    return start, end


def _minutes(value: Any) -> int:
    match = _TIME.match(value) if isinstance(value, str) else None
    if match is None:
        raise ScheduleError(INVALID)
    return int(match[1]) * 60 + int(match[2])


def _covers_whole_day(windows: list[tuple[int, int]]) -> bool:
    covered = [False] * _DAY
    for start, end in windows:
        for minute in range(start, end):
            covered[minute % _DAY] = True
    return all(covered)


def _merge(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _render(start: int, end: int) -> dict[str, str]:
    return {"start": _clock(start), "end": _clock(end % _DAY)}


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
