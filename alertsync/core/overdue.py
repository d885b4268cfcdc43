"""When an alert's next check is due, and from when it is overdue.

PostHog checks an enabled, unsnoozed alert once per cadence (alerts contract §2.1): real
time about every 2 minutes, then every 15 minutes, hour, day, week or month. What it does
when a check falls due (PostHog's `prepare_alert` and `next_check_time`, read from source):

* **quiet hours** (§2.7, project time) defer the check to the first minute after the window;
* with **skip_weekend**, a check due on a Saturday or Sunday (project time) is skipped and
  rescheduled one cadence later, until Monday;
* daily, weekly and monthly checks are anchored at 1am, Monday 3am and the 1st at 4am, so two
  checks are a day, a week and at most 31 days apart (the cadence used here for monthly).

`due_after(last, ...)` gives the **expected** next check: one cadence after the last one,
moved on by those two rules; and the **deadline**: the expected check plus a grace margin,
counted in time checks are allowed in (a margin that runs into quiet hours or a skipped
weekend waits for it to end). An alert with no check by the deadline is overdue.

**The grace margin** is half the cadence, at least 10 minutes and at most 6 hours:

* PostHog's scheduler polls for due alerts and queues them, so checks start late under load
  (every team's daily alerts fall due at 1am), and a check's query can take minutes and be
  retried; real-time and 15-minute checks queue behind each other, so a shorter margin would
  report load, not a broken alert (10 minutes);
* an anchored check keeps the minute of the previous run, so it drifts by that run's lateness,
  and summer time moves a daily check by an hour (half a cadence covers both);
* a daily, weekly or monthly alert more than 6 hours late has missed its run, and a nightly
  status job should say so the same night (6 hours).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from alertsync.core import quiet_hours
from alertsync.core.instants import DAY, Offset, weekday

CADENCE_SECONDS: dict[str, float] = {
    "real_time": 120,  # REAL_TIME_CADENCE_MINUTES (2)
    "every_15_minutes": 900,
    "hourly": 3600,
    "daily": DAY,
    "weekly": 7 * DAY,
    "monthly": 31 * DAY,  # the 1st of each month: at most 31 days apart
}
MIN_GRACE = 600.0
MAX_GRACE = 6 * 3600.0
_LOOKAHEAD_DAYS = 9  # no blocked stretch is longer: a weekend plus quiet hours on each side
_MAX_STEPS = 64

Run = tuple[float, float]  # a blocked stretch of wall-clock seconds, [start, end)


@dataclass(frozen=True)
class Schedule:
    """What decides when an alert is checked: its interval, weekend skipping, and its quiet
    hours as blocked minutes of the project's day."""

    interval: str
    skip_weekend: bool = False
    quiet: tuple[tuple[int, int], ...] = ()

    @property
    def cadence(self) -> float:
        return CADENCE_SECONDS.get(self.interval, float(DAY))

    @property
    def grace(self) -> float:
        return min(MAX_GRACE, max(MIN_GRACE, self.cadence / 2))


def schedule_of(interval: Any, skip_weekend: Any, restriction: Any) -> Schedule:
    """The schedule of a live alert's `calculation_interval`, `skip_weekend` and
    `schedule_restriction` (as PostHog returns them)."""
    minutes = tuple(quiet_hours.blocked_minutes(restriction))
    return Schedule(str(interval or "daily"), bool(skip_weekend), minutes)


@dataclass(frozen=True)
class Due:
    expected: float  # when the next check after `last` should run
    deadline: float  # the expected check plus the grace margin: overdue after it


def due_after(last: float, schedule: Schedule, offset: Offset) -> Due:
    """When the check after one made at `last` is expected, and its deadline."""
    expected = expected_check(last, schedule, offset)
    return Due(expected, _after_allowed_time(expected, schedule.grace, schedule, offset))


def expected_check(last: float, schedule: Schedule, offset: Offset) -> float:
    """One cadence after `last`, stepped past skipped weekends and out of quiet hours."""
    step = schedule.cadence
    moment = last + step
    for _ in range(_MAX_STEPS):
        local = moment + offset(moment)
        weekend = _run_at(moment, offset, schedule, weekends=True, quiet=False)
        if weekend is not None and weekend[0] <= local:
            end = _instant(weekend[1], offset, moment)
            moment += max(1, math.ceil((end - moment) / step)) * step
            continue
        window = _run_at(moment, offset, schedule, weekends=False, quiet=True)
        if window is not None and window[0] <= local:
            moment = _instant(window[1], offset, moment)
            continue
        break
    return moment


def _after_allowed_time(start: float, amount: float, schedule: Schedule, offset: Offset) -> float:
    """The instant when `amount` seconds of time checks are allowed in have passed."""
    moment, left = start, amount
    for _ in range(_MAX_STEPS):
        run = _run_at(moment, offset, schedule, weekends=True, quiet=True)
        if run is None:
            break
        free = max(0.0, run[0] - (moment + offset(moment)))
        if free >= left:
            break
        left -= free
        moment = _instant(run[1], offset, moment)
    return moment + left


def _run_at(
    instant: float, offset: Offset, schedule: Schedule, *, weekends: bool, quiet: bool
) -> Run | None:
    """The blocked stretch holding `instant`, or the next one after it (wall clock)."""
    local = instant + offset(instant)
    first = int(local // DAY) - 1
    segments: list[Run] = []
    for day in range(first, first + _LOOKAHEAD_DAYS):
        base = float(day * DAY)
        if weekends and schedule.skip_weekend and weekday(day) >= 5:
            segments.append((base, base + DAY))
        if quiet:
            segments.extend((base + start * 60, base + end * 60) for start, end in schedule.quiet)
    return next((run for run in _merge(segments) if run[1] > local), None)


def _merge(segments: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for start, end in sorted(segments):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _instant(local: float, offset: Offset, near: float) -> float:
    """The instant a wall-clock reading names; the zone's offset is read near `near`, then
    again where that lands (enough across a change to or from summer time)."""
    guess = local - offset(near)
    return local - offset(guess)
