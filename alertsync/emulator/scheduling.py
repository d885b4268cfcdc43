"""When an alert is next checked: PostHog's ``next_check_time`` (contract §2.7, PostHog's
scheduling module and ``posthog/tasks/alerts/utils.py``).

* Nominal instant by interval: sub-daily intervals add their cadence (real time 2 minutes,
  15 minutes, an hour) to the previous ``next_check_at``, or to now; ``daily`` is 1am
  tomorrow, ``weekly`` 3am next Monday, ``monthly`` 4am on the 1st of next month, in the
  project timezone, keeping now's minutes and seconds (the spread of checks over the hour).
* Quiet hours then snap it: the instant is truncated to the minute and moved to the first
  local minute outside every blocked window (searching at most 14 days; when nothing is free,
  the search is tried once more from a day later, then gives up on the day after that).
* Changing quiet hours sets ``next_check_at`` to ``next_check_time`` computed as if no check
  were pending (``next_check_at_after_schedule_restriction_change``).

Wall-clock times are localized like pytz's ``localize``: an ambiguous time takes its first
(summer-time) reading; a time skipped by a clock change moves forward by the gap.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from alertsync.emulator.schedule import blocked_windows, is_minute_blocked

CADENCES = {
    "real_time": timedelta(minutes=2),
    "every_15_minutes": timedelta(minutes=15),
    "hourly": timedelta(hours=1),
}
_ANCHOR_HOURS = {"daily": 1, "weekly": 3, "monthly": 4}
MAX_UNBLOCK_STEPS = 1440 * 14


def next_check_time(
    interval: str,
    *,
    now: datetime,
    timezone: str,
    next_check_at: datetime | None = None,
    schedule: Any = None,
) -> datetime:
    """The next check after ``now``, snapped out of quiet hours."""
    candidate = nominal_check_time(
        interval, now=now, timezone=timezone, next_check_at=next_check_at
    )
    windows = blocked_windows(schedule)
    if not windows:
        return candidate
    start = candidate.astimezone(UTC).replace(second=0, microsecond=0)
    found = _first_unblocked(start, timezone, windows)
    if found is None:
        found = _first_unblocked(start + timedelta(days=1), timezone, windows)
    return found if found is not None else start + timedelta(days=2)


def nominal_check_time(
    interval: str, *, now: datetime, timezone: str, next_check_at: datetime | None = None
) -> datetime:
    if interval in CADENCES:
        return (next_check_at or now) + CADENCES[interval]
    zone = ZoneInfo(timezone)
    local_now = now.astimezone(zone)
    today = local_now.date()
    if interval == "daily":
        target = today + timedelta(days=1)
    elif interval == "weekly":
        target = today + timedelta(days=7 - local_now.weekday())
    elif interval == "monthly":
        target = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    else:
        raise ValueError(f"Unhandled alert calculation interval: {interval!r}")
    wall = datetime.combine(target, local_now.time()).replace(hour=_ANCHOR_HOURS[interval])
    return localize(wall, zone).astimezone(UTC)


def localize(wall: datetime, zone: ZoneInfo) -> datetime:
    """A naive local wall time as an aware datetime, the way pytz ``localize`` resolves it."""
    aware = wall.replace(tzinfo=zone, fold=0)
    round_trip = aware.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != wall:  # in a gap: read it with the earlier offset
        return round_trip
    return aware


def _first_unblocked(start: datetime, timezone: str, windows: list[Any]) -> datetime | None:
    zone = ZoneInfo(timezone)
    current = start
    for _ in range(MAX_UNBLOCK_STEPS):
        local = current.astimezone(zone)
        if not is_minute_blocked(local.hour * 60 + local.minute, windows):
            return current
        current += timedelta(minutes=1)
    return None
