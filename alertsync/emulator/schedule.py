"""``schedule_restriction`` (quiet hours): validation and PostHog's exact encoding (contract §2.7,
``validate_and_normalize_schedule_restriction`` in PostHog's scheduling module).

Shape: ``{"blocked_windows": [{"start": "HH:MM", "end": "HH:MM"}, ...]}``, half-open windows
``[start, end)`` in project-local time; a window with start > end runs overnight.

1. ``null``, ``{}``, a missing or null ``blocked_windows`` and ``[]`` all mean off: ``None``.
2. At most 5 windows (before merging). Each needs ``start`` and ``end``; each time is
   stripped and must be ``H:MM``/``HH:MM`` with one colon, hour 0-23, minute 0-59 (read with
   ``int()``, so ``7:00`` is ``07:00``); start ≠ end; a window spans at least 30 minutes.
3. Windows are laid on one day of minutes ``[0, 1440)``: an overnight window becomes
   ``[start, 1440)`` plus ``[0, end)`` (nothing for an end of ``00:00``).
4. Segments are sorted and merged when the next starts at or before the current end; a
   single segment ``[0, ≥1440)`` is the whole day: refused.
5. Re-encoded: one segment stays itself; exactly ``[0, a)`` and ``[b, 1440)`` with ``b > a``
   become one overnight window ``b-a``; otherwise each segment in order. An end of 1440 is
   written ``00:00``.

Every refusal is the single message ``Invalid schedule restriction.``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

INVALID = "Invalid schedule restriction."
MAX_WINDOWS = 5
MIN_WINDOW_MINUTES = 30
MINUTES_PER_DAY = 1440

# (start minute, end minute, overnight)
BlockedWindow = tuple[int, int, bool]


class ScheduleError(ValueError):
    """The value is not a valid schedule restriction."""


def normalize_schedule(value: Any) -> dict[str, Any] | None:
    """The stored form of ``value``; raises :class:`ScheduleError` when it is invalid."""
    windows = _blocked_windows(value)
    if windows is None:
        return None
    if len(windows) > MAX_WINDOWS:
        raise ScheduleError(INVALID)
    parsed = [_window(item) for item in windows]
    merged = _merge(_expand(parsed))
    if merged and merged[0][0] == 0 and merged[0][1] >= MINUTES_PER_DAY:
        raise ScheduleError(INVALID)
    encoded = _encode(merged)
    return {"blocked_windows": encoded} if encoded else None


def _blocked_windows(value: Any) -> list[Any] | None:
    if value is None or value == {}:
        return None
    if not isinstance(value, Mapping):
        raise ScheduleError(INVALID)
    windows = value.get("blocked_windows")
    if windows is None or windows == []:
        return None
    if not isinstance(windows, list):
        raise ScheduleError(INVALID)
    return windows


def _window(item: Any) -> BlockedWindow:
    if not isinstance(item, Mapping) or item.get("start") is None or item.get("end") is None:
        raise ScheduleError(INVALID)
    window = parse_window(str(item["start"]), str(item["end"]))
    if _span(window) < MIN_WINDOW_MINUTES:
        raise ScheduleError(INVALID)
    return window


def parse_window(start: str, end: str) -> BlockedWindow:
    start_minute, end_minute = _minutes(start), _minutes(end)
    if start_minute == end_minute:
        raise ScheduleError(INVALID)
    return start_minute, end_minute, start_minute > end_minute


def _minutes(text: str) -> int:
    value = text.strip()
    if value.count(":") != 1:
        raise ScheduleError(INVALID)
    hours_text, minutes_text = value.split(":")
    try:
        hours, minutes = int(hours_text, 10), int(minutes_text, 10)
    except ValueError:
        raise ScheduleError(INVALID) from None
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        raise ScheduleError(INVALID)
    return hours * 60 + minutes


def _span(window: BlockedWindow) -> int:
    start, end, overnight = window
    if not overnight:
        return end - start
    return MINUTES_PER_DAY - start if end == 0 else MINUTES_PER_DAY - start + end


def _expand(windows: list[BlockedWindow]) -> list[tuple[int, int]]:
    segments: list[tuple[int, int]] = []
    for start, end, overnight in windows:
        if not overnight:
            segments.append((start, end))
            continue
        segments.append((start, MINUTES_PER_DAY))
        if end != 0:
            segments.append((0, end))
    return segments


def _merge(segments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(segments):
        if end <= start:
            continue
        if merged and merged[-1][1] >= start:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _encode(merged: list[tuple[int, int]]) -> list[dict[str, str]]:
    if len(merged) == 2:
        (first_start, first_end), (second_start, second_end) = merged
        if first_start == 0 and second_end == MINUTES_PER_DAY and second_start > first_end:
            return [{"start": _clock(second_start), "end": _clock(first_end)}]
    return [{"start": _clock(start), "end": _clock(end)} for start, end in merged]


def _clock(minutes: int) -> str:
    """``HH:MM``; the end of the day (1440) is written ``00:00``."""
    minutes %= MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def blocked_windows(schedule: Any) -> list[BlockedWindow]:
    """The stored windows as minute tuples (PostHog's ``parse_blocked_windows_tuples``)."""
    if not isinstance(schedule, Mapping) or not isinstance(schedule.get("blocked_windows"), list):
        return []
    return [
        parse_window(str(item["start"]), str(item["end"]))
        for item in schedule["blocked_windows"]
        if isinstance(item, Mapping) and "start" in item and "end" in item
    ]


def is_minute_blocked(minute: int, windows: list[BlockedWindow]) -> bool:
    """Whether a local minute of the day falls in a window (half-open)."""
    for start, end, overnight in windows:
        if not overnight and start <= minute < end:
            return True
        if overnight and (minute >= start or (end != 0 and minute < end)):
            return True
    return False
