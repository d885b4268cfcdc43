"""Relative date strings, read like PostHog's ``relative_date_parse`` (``posthog/utils.py``).

Used for ``snoozed_until`` (contract §1.4: ``increase=True, always_truncate=True``) and for the
retrieve parameters ``checks_date_from`` / ``checks_date_to`` (§3.3: neither).

1. An ISO date or datetime (or an unpadded ``2025-3-1``) is used as is, naive = UTC, never
   truncated.
2. Otherwise the first match of ``-?(\\d+)?[hdwmqysHDWMQY](Start|End)?`` builds a
   ``relativedelta``: ``h`` hours, ``d`` days, ``w`` weeks, ``m`` months, ``M`` minutes,
   ``s`` seconds, ``q`` 13 weeks, ``y`` years (a number is needed for a shift; upper-case
   ``H``/``D``/``W``/``Q``/``Y`` shift nothing). ``Start``/``End`` pin the smaller units
   (``dStart`` is 00:00:00, ``mEnd`` the 31st clamped to the month, ...). The leading ``-``
   is ignored: the delta is added (``increase``) or subtracted.
3. ``always_truncate``: to the top of the hour when an hour count was given, else to 00:00.
4. No match: now. A string is never rejected.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime, timedelta

from alertsync.emulator.clock import parse_datetime

_RELATIVE = re.compile(r"-?(?P<number>\d+)?(?P<kind>[hdwmqysHDWMQY])(?P<position>Start|End)?")
_UNPADDED_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_START = {"hour": 0, "minute": 0, "second": 0, "microsecond": 0}
_END = {"hour": 23, "minute": 59, "second": 59, "microsecond": 999999}
_POSITIONS: dict[str, dict[str, dict[str, int]]] = {
    "h": {"Start": {k: 0 for k in ("minute", "second", "microsecond")},
          "End": {"minute": 59, "second": 59, "microsecond": 999999}},
    "d": {"Start": _START, "End": _END},
    "m": {"Start": {"day": 1}, "End": {"day": 31}},
    "y": {"Start": {"month": 1, "day": 1}, "End": {"day": 31}},
}  # fmt: skip
_RELATIVE_UNITS = {
    "h": "hours",
    "d": "days",
    "w": "weeks",
    "m": "months",
    "M": "minutes",
    "s": "seconds",
    "y": "years",
}


def relative_date_parse(
    text: str, now: datetime, *, increase: bool = False, always_truncate: bool = False
) -> datetime:
    """The moment ``text`` names, relative to ``now`` (an aware UTC datetime)."""
    absolute = parse_datetime(text) or _unpadded_date(text)
    if absolute is not None:
        return absolute
    match = _RELATIVE.search(text)
    if match is None:
        return now
    relative, absolute_fields = _delta_mapping(match["kind"], match["number"], match["position"])
    moment = _shift(now.astimezone(UTC), relative, absolute_fields, 1 if increase else -1)
    if always_truncate:
        if "hours" in relative:
            return moment.replace(minute=0, second=0, microsecond=0)
        return moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return moment


def parse_snooze(text: str, now: datetime) -> datetime:
    """``snoozed_until`` on PATCH: shifted forward and truncated."""
    return relative_date_parse(text, now, increase=True, always_truncate=True)


def _unpadded_date(text: str) -> datetime | None:
    match = _UNPADDED_DATE.match(text)
    if match is None:
        return None
    try:
        return datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=UTC)
    except ValueError:
        return None


def _delta_mapping(
    kind: str, number: str | None, position: str | None
) -> tuple[dict[str, int], dict[str, int]]:
    """PostHog's ``get_delta_mapping_for``, split into relative and absolute fields."""
    relative: dict[str, int] = {}
    if number and kind == "q":
        relative["weeks"] = 13 * int(number)
    elif number and kind in _RELATIVE_UNITS:
        relative[_RELATIVE_UNITS[kind]] = int(number)
    absolute = _POSITIONS.get(kind, {}).get(position or "", {})
    return relative, dict(absolute)


def _shift(
    moment: datetime, relative: dict[str, int], absolute: dict[str, int], sign: int
) -> datetime:
    """``moment ± relativedelta(**relative, **absolute)``: absolute fields replace first, then
    years and months move (the day clamped to the month), then the rest is added."""
    months = sign * (12 * relative.get("years", 0) + relative.get("months", 0))
    index = absolute.get("month", moment.month) - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(absolute.get("day", moment.day), calendar.monthrange(year, month)[1])
    base = moment.replace(
        year=year,
        month=month,
        day=day,
        hour=absolute.get("hour", moment.hour),
        minute=absolute.get("minute", moment.minute),
        second=absolute.get("second", moment.second),
        microsecond=absolute.get("microsecond", moment.microsecond),
    )
    delta = timedelta(
        weeks=relative.get("weeks", 0),
        days=relative.get("days", 0),
        hours=relative.get("hours", 0),
        minutes=relative.get("minutes", 0),
        seconds=relative.get("seconds", 0),
    )
    return base + sign * delta
