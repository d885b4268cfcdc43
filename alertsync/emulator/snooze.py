"""``snoozed_until`` strings, read like PostHog's ``relative_date_parse`` (contract §1.4).

1. An ISO date or datetime is used as is (naive = UTC), without truncation.
2. Otherwise the first ``-?(\\d+)?[hdwmqysHDWMQY](Start|End)?`` match is added to now
   (a leading ``-`` is ignored): h hours, d days, w weeks, m months, M minutes, s seconds,
   q 13 weeks, y years; upper-case H/D/W/Q/Y add nothing. The result is truncated to the
   top of the hour for ``h`` and to 00:00 UTC otherwise.
3. No match: now, not truncated. A string is never rejected.
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta

from alertsync.emulator.clock import parse_datetime

_RELATIVE = re.compile(r"-?(?P<number>\d+)?(?P<unit>[hdwmqysHDWMQY])(?:Start|End)?")
_FIXED_UNITS = {
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
    "q": timedelta(weeks=13),
    "M": timedelta(minutes=1),
    "s": timedelta(seconds=1),
}


def parse_snooze(text: str, now: datetime) -> datetime:
    """The moment ``text`` names, relative to ``now`` (an aware UTC datetime)."""
    absolute = parse_datetime(text)
    if absolute is not None:
        return absolute
    match = _RELATIVE.search(text)
    if match is None:
        return now
    number = int(match["number"]) if match["number"] else 0
    unit = match["unit"]
    moment = _shift(now, unit, number)
    if unit == "h":
        return moment.replace(minute=0, second=0, microsecond=0)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _shift(now: datetime, unit: str, number: int) -> datetime:
    if unit in _FIXED_UNITS:
        return now + _FIXED_UNITS[unit] * number
    if unit == "m":
        return _add_months(now, number)
    if unit == "y":
        return _add_months(now, 12 * number)
    return now  # upper-case H, D, W, Q, Y: no delta


def _add_months(moment: datetime, months: int) -> datetime:
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
