"""Quiet hours (`schedule_restriction`): PostHog's rules, and its exact stored encoding.

A file says `blocked_windows: [{start: "22:00", end: "07:00"}]`: no checks in those windows,
in the project's timezone, half-open `[start, end)`; a window whose start is after its end
runs overnight. PostHog refuses more than five windows, a window shorter than 30 minutes or
with start equal to end, and windows that together cover the whole day. It stores what it
accepts re-encoded (alerts contract §2.7 and §14.7), and the desired side is put through
the same encoding, so a plan never shows a difference PostHog would not store:

1. off (`null`, `{}`, no windows) is `null`;
2. windows laid on one day of minutes, overnight ones split at midnight;
3. merged when they overlap or touch; a merged day is refused;
4. re-encoded: one segment stays itself; exactly `[0, a)` and `[b, 1440)` become one
   overnight window `b-a`; otherwise each segment in order; an end of 1440 reads `00:00`.
"""

from __future__ import annotations

import re
from typing import Any

MAX_WINDOWS = 5
MIN_MINUTES = 30
DAY = 1440
_TIME = re.compile(r"^\s*([0-9]{1,2}):([0-9]{2})\s*$")

Segment = tuple[int, int]


def minutes(text: Any) -> int | None:
    """`"7:30"` → 450; None when it is not an `H:MM`/`HH:MM` time of day."""
    match = _TIME.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    return hour * 60 + minute if hour < 24 and minute < 60 else None


def windows_of(value: Any) -> list[Any]:
    """The blocked windows a value declares ([] for off)."""
    if not isinstance(value, dict):
        return []
    windows = value.get("blocked_windows")
    return windows if isinstance(windows, list) else []


def window_problem(start: int, end: int) -> str | None:
    """What PostHog refuses in one window (times already parsed)."""
    if start == end:
        return "a window's start and end are the same time; PostHog refuses it"
    span = end - start if start < end else DAY - start + end
    if span < MIN_MINUTES:
        return f"a window must span at least {MIN_MINUTES} minutes (this one: {span})"
    return None


def whole_day(value: Any) -> bool:
    """Whether the windows together leave no minute to check in."""
    merged = _merged(value)
    return bool(merged) and merged[0][0] == 0 and merged[0][1] >= DAY


def encode(value: Any) -> dict[str, Any] | None:
    """The value as PostHog stores it (None for off). Values PostHog refuses are returned
    as they are: validation reports them, and nothing is sent."""
    windows = windows_of(value)
    if not windows:
        return None if value is None or isinstance(value, dict) else value
    parsed = [_parsed(w) for w in windows]
    if any(p is None for p in parsed) or len(windows) > MAX_WINDOWS or whole_day(value):
        return value if isinstance(value, dict) else None
    segments = _merge(_expand([p for p in parsed if p is not None]))
    return {"blocked_windows": _encode(segments)}


def blocked_minutes(value: Any) -> list[Segment]:
    """The minutes of the day the windows block, merged and in order: `[(start, end)]`,
    `0 <= start < end <= 1440` (an overnight window is two segments)."""
    return _merged(value)


def _parsed(window: Any) -> Segment | None:
    if not isinstance(window, dict):
        return None
    start, end = minutes(window.get("start")), minutes(window.get("end"))
    if start is None or end is None or window_problem(start, end):
        return None
    return start, end


def _merged(value: Any) -> list[Segment]:
    parsed = [_parsed(w) for w in windows_of(value)]
    return _merge(_expand([p for p in parsed if p is not None]))


def _expand(windows: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for start, end in windows:
        if start < end:
            out.append((start, end))
        else:
            out.append((start, DAY))
            if end > 0:
                out.append((0, end))
    return sorted(out)


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for start, end in segments:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _encode(segments: list[Segment]) -> list[dict[str, str]]:
    if len(segments) == 2 and segments[0][0] == 0 and segments[1][1] == DAY:
        (_, first_end), (second_start, _) = segments
        if second_start > first_end:
            return [{"start": _hhmm(second_start), "end": _hhmm(first_end)}]
    return [{"start": _hhmm(start), "end": _hhmm(end % DAY)} for start, end in segments]


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def spans(value: Any) -> list[tuple[Any, Any]]:
    """The windows as (start, end) pairs."""
    return [(w.get("start"), w.get("end")) for w in windows_of(value) if isinstance(w, dict)]


def describe(value: Any) -> str:
    """`between 22:00 and 07:00`, or `00:00-07:00, 12:00-13:00 and 22:00-00:00`."""
    pairs = spans(value)
    if len(pairs) == 1:
        return f"between {pairs[0][0]} and {pairs[0][1]}"
    shown = [f"{start}-{end}" for start, end in pairs]
    return ", ".join(shown[:-1]) + " and " + shown[-1] if shown else ""
