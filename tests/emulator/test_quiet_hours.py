"""Quiet hours (contract §2.7): PostHog's encoding, its refusals, and ``next_check_at``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from alertsync.emulator import Emulator
from alertsync.emulator.schedule import ScheduleError, normalize_schedule
from alertsync.emulator.scheduling import next_check_time
from tests.builders import ALERTS, client_for, error, seed_with, valid_body

from .conftest import MakeAlert

INVALID = error("invalid_input", "Invalid schedule restriction.", "schedule_restriction")


def _windows(*pairs: str) -> dict[str, Any]:
    return {"blocked_windows": [dict(zip(("start", "end"), pair.split("-"), strict=True))
                                for pair in pairs]}  # fmt: skip


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        (None, None),
        ({}, None),
        ({"blocked_windows": []}, None),
        ({"blocked_windows": None}, None),
        ({"other": 1}, None),
        (_windows("22:00-07:00"), _windows("22:00-07:00")),
        (_windows("7:00-9:30"), _windows("07:00-09:30")),
        (_windows(" 07:00 -09:30"), _windows("07:00-09:30")),
        (_windows("10:30-11:00", "10:40-11:15"), _windows("10:30-11:15")),
        (_windows("10:00-11:00", "11:00-12:00"), _windows("10:00-12:00")),
        (_windows("10:00-11:00", "10:00-11:00"), _windows("10:00-11:00")),
        (_windows("13:00-14:00", "09:00-10:00"), _windows("09:00-10:00", "13:00-14:00")),
        (_windows("22:00-07:00", "12:00-13:00"),
         _windows("00:00-07:00", "12:00-13:00", "22:00-00:00")),
        (_windows("19:00-00:00"), _windows("19:00-00:00")),
        (_windows("00:00-06:00", "20:00-00:00"), _windows("20:00-06:00")),
        (_windows("23:00-01:00", "00:30-02:00"), _windows("23:00-02:00")),
        (_windows("00:00-12:00"), _windows("00:00-12:00")),
    ],
)  # fmt: skip
def test_quiet_hours_are_stored_in_posthogs_encoding(
    make_alert: MakeAlert, sent: Any, stored: Any
) -> None:
    assert make_alert(schedule_restriction=sent)["schedule_restriction"] == stored


@pytest.mark.parametrize(
    "sent",
    [
        _windows(*[f"{hour:02d}:00-{hour:02d}:30" for hour in range(6)]),
        {"blocked_windows": [{"end": "12:00"}]},
        {"blocked_windows": [{"start": "12:00", "end": None}]},
        _windows("10:00-10:00"),
        _windows("12:00:00-13:00"),
        _windows("25:00-26:00"),
        _windows("12:60-13:00"),
        _windows("noon-13:00"),
        {"blocked_windows": [{"start": 12, "end": 13}]},
        {"blocked_windows": ["not-an-object"]},
        {"blocked_windows": {}},
        {"blocked_windows": "22:00-07:00"},
        _windows("12:00-12:20"),
        _windows("23:50-00:10"),
        _windows("00:00-12:00", "12:00-00:00"),
        _windows("06:00-06:00"),
        _windows("12:00-11:30", "11:00-12:30"),
        "22:00-07:00",
        [],
    ],
)
def test_invalid_quiet_hours_are_refused(client: httpx.Client, sent: Any) -> None:
    response = client.post(ALERTS, json=valid_body(schedule_restriction=sent))

    assert response.json() == INVALID


def test_a_long_overnight_window_leaving_one_minute_free_is_kept() -> None:
    assert normalize_schedule(_windows("12:00-11:59")) == _windows("12:00-11:59")


def test_five_windows_are_allowed_before_merging() -> None:
    windows = _windows(*[f"{hour:02d}:00-{hour:02d}:30" for hour in range(5)])

    assert normalize_schedule(windows) == windows


def test_a_window_touching_midnight_from_both_sides_is_one_overnight_window() -> None:
    assert normalize_schedule(_windows("00:00-05:00", "21:00-00:00")) == _windows("21:00-05:00")
    with pytest.raises(ScheduleError):
        normalize_schedule(_windows("00:00-00:00"))


def test_an_invalid_patch_keeps_the_old_quiet_hours(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert(schedule_restriction=_windows("22:00-07:00"))["id"]

    bad = client.patch(f"{ALERTS}{alert_id}/", json={"schedule_restriction": _windows("1-2")})

    assert bad.json() == INVALID
    stored = client.get(f"{ALERTS}{alert_id}/").json()["schedule_restriction"]
    assert stored == _windows("22:00-07:00")


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("interval", "quiet", "now", "expected"),
    [
        ("hourly", _windows("11:00-16:00"), "2026-04-06T14:00:00", "2026-04-06T16:00:00Z"),
        ("hourly", None, "2026-04-06T14:10:30", "2026-04-06T15:10:30Z"),
        ("every_15_minutes", _windows("14:00-15:00"), "2026-04-06T13:50:00",
         "2026-04-06T15:00:00Z"),
        ("real_time", None, "2026-04-06T14:00:00", "2026-04-06T14:02:00Z"),
        ("daily", None, "2026-04-06T14:10:30", "2026-04-07T01:10:30Z"),
        ("daily", _windows("00:00-02:00"), "2026-04-06T14:10:30", "2026-04-07T02:00:00Z"),
        ("weekly", None, "2026-04-06T14:00:00", "2026-04-13T03:00:00Z"),  # a Monday
        ("monthly", None, "2026-12-15T14:00:00", "2027-01-01T04:00:00Z"),
    ],
)  # fmt: skip
def test_changing_quiet_hours_recomputes_next_check_at(
    interval: str, quiet: Any, now: str, expected: str
) -> None:
    with Emulator(clock=lambda: _at(now)) as emu, client_for(emu) as client:
        alert_id = client.post(ALERTS, json=valid_body(calculation_interval=interval)).json()["id"]
        emu.set_check_times(alert_id, next_check_at="2030-01-01T00:00:00Z")
        first = {"blocked_windows": [{"start": "03:00", "end": "03:30"}]}
        client.patch(f"{ALERTS}{alert_id}/", json={"schedule_restriction": first})
        patched = client.patch(f"{ALERTS}{alert_id}/", json={"schedule_restriction": quiet})

    assert patched.json()["next_check_at"] == expected


def test_unchanged_quiet_hours_leave_next_check_at_alone(make_alert: MakeAlert) -> None:
    quiet = _windows("22:00-07:00")
    with Emulator() as emu, client_for(emu) as client:
        alert_id = client.post(ALERTS, json=valid_body(schedule_restriction=quiet)).json()["id"]
        emu.set_check_times(alert_id, next_check_at="2030-01-01T00:00:00Z")
        patched = client.patch(f"{ALERTS}{alert_id}/", json={"schedule_restriction": quiet})

    assert patched.json()["next_check_at"] == "2030-01-01T00:00:00Z"


def test_quiet_hours_are_project_local_time() -> None:
    now = _at("2026-04-06T14:00:00")  # 23:00 in Tokyo
    seed = seed_with(timezone="Asia/Tokyo")
    with Emulator(seed=seed, clock=lambda: now) as emu, client_for(emu) as client:
        body = valid_body(calculation_interval="hourly")
        alert_id = client.post(ALERTS, json=body).json()["id"]
        quiet = _windows("22:00-07:00")  # Tokyo night: 13:00-22:00 UTC
        patched = client.patch(f"{ALERTS}{alert_id}/", json={"schedule_restriction": quiet})

    assert patched.json()["schedule_restriction"] == quiet
    assert patched.json()["next_check_at"] == "2026-04-06T22:00:00Z"


def test_daily_anchor_is_1am_project_time_across_a_clock_change() -> None:
    now = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)  # Europe/London moves to BST on the 29th

    moment = next_check_time("daily", now=now, timezone="Europe/London")

    assert moment == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 01:00 GMT is a real wall time
    skipped = next_check_time("daily", now=now, timezone="America/New_York")
    assert skipped == datetime(2026, 3, 29, 5, 0, tzinfo=UTC)  # 01:00 EDT


@pytest.mark.parametrize("interval", ["hourly", "daily", "weekly", "monthly"])
def test_quiet_hours_combine_with_skip_weekend_and_intervals(
    client: httpx.Client, interval: str
) -> None:
    body = valid_body(
        calculation_interval=interval,
        skip_weekend=True,
        schedule_restriction=_windows("22:00-07:00"),
    )

    created = client.post(ALERTS, json=body).json()

    assert (created["calculation_interval"], created["skip_weekend"]) == (interval, True)
    assert created["schedule_restriction"] == _windows("22:00-07:00")
    assert created["next_check_at"] is None  # create stores no next check
