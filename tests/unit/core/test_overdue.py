"""When a check is expected and from when it is overdue: every cadence, quiet hours, skipped
weekends, the project's timezone and the grace margin (core.overdue)."""

from __future__ import annotations

import pytest

from alertsync.core.instants import fixed_offset, format_instant, parse_instant, utc, weekday
from alertsync.core.overdue import (
    MAX_GRACE,
    MIN_GRACE,
    Schedule,
    due_after,
    expected_check,
    schedule_of,
)


def at(text: str) -> float:
    moment = parse_instant(text)
    assert moment is not None
    return moment


def shown(instant: float) -> str:
    return format_instant(instant)[:16].replace("T", " ")


def test_the_dates_below_fall_on_the_days_they_say() -> None:
    assert weekday(int(at("2025-06-06") // 86400)) == 4  # a Friday
    assert weekday(int(at("2025-06-09") // 86400)) == 0  # a Monday


@pytest.mark.parametrize(
    ("interval", "expected", "deadline"),
    [
        ("real_time", "2025-06-04 10:02", "2025-06-04 10:12"),  # 2 min + the 10 min floor
        ("every_15_minutes", "2025-06-04 10:15", "2025-06-04 10:25"),
        ("hourly", "2025-06-04 11:00", "2025-06-04 11:30"),  # half an hour
        ("daily", "2025-06-05 10:00", "2025-06-05 16:00"),  # the 6 h ceiling
        ("weekly", "2025-06-11 10:00", "2025-06-11 16:00"),
        ("monthly", "2025-07-05 10:00", "2025-07-05 16:00"),  # 31 days: the longest month
    ],
)
def test_each_cadence_expects_the_next_check_one_cadence_later(
    interval: str, expected: str, deadline: str
) -> None:
    due = due_after(at("2025-06-04T10:00:00Z"), Schedule(interval), utc)
    assert (shown(due.expected), shown(due.deadline)) == (expected, deadline)


def test_the_grace_margin_is_half_a_cadence_between_ten_minutes_and_six_hours() -> None:
    graces = {i: Schedule(i).grace for i in ("real_time", "every_15_minutes", "hourly", "daily")}
    assert graces == {
        "real_time": MIN_GRACE,
        "every_15_minutes": MIN_GRACE,
        "hourly": 1800,
        "daily": MAX_GRACE,
    }
    assert Schedule("no_such_interval").cadence == 86400  # an unknown interval reads daily


def test_quiet_hours_defer_the_check_to_the_end_of_the_window() -> None:
    quiet = schedule_of("hourly", False, {"blocked_windows": [{"start": "22:00", "end": "07:00"}]})
    due = due_after(at("2025-06-04T21:30:00Z"), quiet, utc)
    assert (shown(due.expected), shown(due.deadline)) == ("2025-06-05 07:00", "2025-06-05 07:30")


def test_a_grace_that_runs_into_quiet_hours_waits_for_them_to_end() -> None:
    quiet = schedule_of("hourly", False, {"blocked_windows": [{"start": "22:00", "end": "07:00"}]})
    due = due_after(at("2025-06-04T20:45:00Z"), quiet, utc)
    # expected at 21:45: 15 minutes of grace before 22:00, the other 15 after 07:00
    assert (shown(due.expected), shown(due.deadline)) == ("2025-06-04 21:45", "2025-06-05 07:15")


def test_a_daily_check_due_on_a_weekend_it_skips_is_expected_on_monday() -> None:
    due = due_after(at("2025-06-06T01:30:00Z"), schedule_of("daily", True, None), utc)
    assert (shown(due.expected), shown(due.deadline)) == ("2025-06-09 01:30", "2025-06-09 07:30")


def test_an_hourly_check_steps_over_the_weekend_by_its_cadence() -> None:
    due = due_after(at("2025-06-06T23:30:00Z"), schedule_of("hourly", True, None), utc)
    assert (shown(due.expected), shown(due.deadline)) == ("2025-06-09 00:30", "2025-06-09 01:00")


def test_a_real_time_alert_skipping_weekends_is_computed_without_walking_them() -> None:
    expected = expected_check(at("2025-06-06T23:59:00Z"), schedule_of("real_time", True, None), utc)
    assert shown(expected) == "2025-06-09 00:01"


def test_weekends_are_the_project_s_saturday_and_sunday() -> None:
    # UTC+2: 22:00Z on Friday is midnight on Saturday in the project
    paris_summer = fixed_offset(120)
    hourly = schedule_of("hourly", True, None)
    expected = expected_check(at("2025-06-06T21:00:00Z"), hourly, paris_summer)
    assert shown(expected) == "2025-06-08 22:00"  # Monday 00:00 in the project
    assert shown(expected_check(at("2025-06-06T21:00:00Z"), hourly, utc)) == "2025-06-06 22:00"


def test_quiet_hours_are_in_the_project_s_time() -> None:
    quiet = schedule_of("hourly", False, {"blocked_windows": [{"start": "22:00", "end": "07:00"}]})
    expected = expected_check(at("2025-06-04T19:30:00Z"), quiet, fixed_offset(120))
    assert shown(expected) == "2025-06-05 05:00"  # 07:00 in UTC+2


def test_a_weekend_then_quiet_hours_on_monday_morning() -> None:
    both = schedule_of("daily", True, {"blocked_windows": [{"start": "00:00", "end": "03:00"}]})
    due = due_after(at("2025-06-06T02:30:00Z"), both, utc)
    assert shown(due.expected) == "2025-06-09 03:00"


def test_several_quiet_windows_and_a_skipped_weekend_never_block_forever() -> None:
    windows = [
        {"start": "00:00", "end": "06:00"},
        {"start": "08:00", "end": "12:00"},
        {"start": "13:00", "end": "23:30"},
    ]
    schedule = schedule_of("every_15_minutes", True, {"blocked_windows": windows})
    due = due_after(at("2025-06-06T23:50:00Z"), schedule, utc)
    assert shown(due.expected) == "2025-06-09 06:00"
    assert shown(due.deadline) == "2025-06-09 06:10"


def test_a_change_of_offset_is_followed() -> None:
    """A zone that moves from UTC+1 to UTC+2 at 01:00Z on Sunday 2025-03-30 (Europe/Paris)."""
    switch = at("2025-03-30T01:00:00Z")

    def paris(instant: float) -> float:
        return 7200.0 if instant >= switch else 3600.0

    quiet = schedule_of("hourly", False, {"blocked_windows": [{"start": "01:00", "end": "06:00"}]})
    expected = expected_check(at("2025-03-29T23:30:00Z"), quiet, paris)  # 00:30 local, UTC+1
    assert shown(expected) == "2025-03-30 04:00"  # 06:00 local, now UTC+2
