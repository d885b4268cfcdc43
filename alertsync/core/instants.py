"""Instants as plain numbers: seconds since 1970-01-01T00:00:00Z.

The core has no clock and no `datetime`: the caller passes "now" in as a number, and the
project's timezone as an `Offset`, a function giving the zone's offset from UTC (in seconds)
at an instant; the edges build one from the IANA database, tests from a fixed offset.
PostHog's timestamps (`2025-06-03T01:00:04.551200Z`, or `+00:00` in delivery receipts) are
read here with the proleptic Gregorian calendar, the way `datetime` reads them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

DAY = 86_400
Offset = Callable[[float], float]  # seconds east of UTC at an instant

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?$"
)


def utc(instant: float) -> float:
    """The offset of UTC: none."""
    return 0.0


def fixed_offset(minutes: int) -> Offset:
    """A zone always `minutes` east of UTC (tests; zones without summer time)."""
    return lambda instant: minutes * 60.0


def parse_instant(text: Any) -> float | None:
    """`2025-06-03T01:00:04.5Z` → seconds; None for anything that is not ISO 8601 (a value
    without an offset is UTC, as PostHog writes them)."""
    match = _ISO.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= _month_days(int(year), int(month))):
        return None
    clock = (int(hour or 0), int(minute or 0), int(second or 0))
    if clock[0] > 23 or clock[1] > 59 or clock[2] > 59:
        return None
    whole = days_from_civil(int(year), int(month), int(day)) * DAY
    whole += clock[0] * 3600 + clock[1] * 60 + clock[2] - _zone_seconds(zone)
    return whole + (float(f"0.{fraction}") if fraction else 0.0)


def format_instant(instant: float) -> str:
    """`2025-06-03T01:00:04Z`: UTC, to the second (fractions are dropped, not rounded)."""
    days, second = divmod(int(instant // 1), DAY)
    year, month, day = civil_from_days(days)
    hour, rest = divmod(second, 3600)
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{rest // 60:02d}:{rest % 60:02d}Z"


def local_day(instant: float, offset: Offset) -> tuple[int, float]:
    """(days since 1970-01-01, seconds into that day), on the zone's wall clock."""
    local = instant + offset(instant)
    day = int(local // DAY)
    return day, local - day * DAY


def weekday(day: int) -> int:
    """0 for Monday ... 6 for Sunday, of a day counted from 1970-01-01 (a Thursday)."""
    return (day + 3) % 7


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to a Gregorian date (H. Hinnant's algorithm)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - 719_468


def civil_from_days(days: int) -> tuple[int, int, int]:
    """The Gregorian date `days` after 1970-01-01."""
    days += 719_468
    era = days // 146_097
    day_of_era = days - era * 146_097
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted + 2) // 5 + 1
    month = shifted + (3 if shifted < 10 else -9)
    return year_of_era + era * 400 + (month <= 2), month, day


def _month_days(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _zone_seconds(zone: str | None) -> int:
    if not zone or zone == "Z":
        return 0
    digits = zone[1:].replace(":", "")
    seconds = int(digits[:2]) * 3600 + int(digits[2:]) * 60
    return -seconds if zone[0] == "-" else seconds
