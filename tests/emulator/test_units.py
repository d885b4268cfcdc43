"""Pure pieces: relative snooze dates, quiet hours, seed loading, clock and ids, links."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from alertsync.emulator import Emulator, SeedError, default_seed, load_seed
from alertsync.emulator.clock import Clock, IdFactory, format_datetime, parse_datetime
from alertsync.emulator.pagination import Window, paginated, window_from
from alertsync.emulator.relative_dates import parse_snooze, relative_date_parse
from alertsync.emulator.schedule import ScheduleError, normalize_schedule
from alertsync.emulator.trigram import similarity, word_similarity

NOW = datetime(2025, 1, 31, 10, 30, 15, 123456, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2h", datetime(2025, 1, 31, 12, tzinfo=UTC)),
        ("-2h", datetime(2025, 1, 31, 12, tzinfo=UTC)),
        ("1d", datetime(2025, 2, 1, tzinfo=UTC)),
        ("1w", datetime(2025, 2, 7, tzinfo=UTC)),
        ("1m", datetime(2025, 2, 28, tzinfo=UTC)),
        ("1q", datetime(2025, 5, 2, tzinfo=UTC)),
        ("1y", datetime(2026, 1, 31, tzinfo=UTC)),
        ("30M", datetime(2025, 1, 31, tzinfo=UTC)),
        ("3D", datetime(2025, 1, 31, tzinfo=UTC)),
        ("in 2d", datetime(2025, 2, 2, tzinfo=UTC)),
        ("soon", datetime(2025, 1, 31, tzinfo=UTC)),  # first match: "s", 0 seconds
        ("2025-03-01", datetime(2025, 3, 1, tzinfo=UTC)),
        ("2025-03-01T08:15:00", datetime(2025, 3, 1, 8, 15, tzinfo=UTC)),
        ("2025-03-01T08:15:00-01:00", datetime(2025, 3, 1, 9, 15, tzinfo=UTC)),
        ("!!", NOW),
    ],
)
def test_parse_snooze(text: str, expected: datetime) -> None:
    assert parse_snooze(text, NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-24h", datetime(2025, 1, 30, 10, 30, 15, 123456, tzinfo=UTC)),
        ("-7d", datetime(2025, 1, 24, 10, 30, 15, 123456, tzinfo=UTC)),
        ("-1m", datetime(2024, 12, 31, 10, 30, 15, 123456, tzinfo=UTC)),
        ("-1dStart", datetime(2025, 1, 30, tzinfo=UTC)),
        ("-1dEnd", datetime(2025, 1, 30, 23, 59, 59, 999999, tzinfo=UTC)),
        ("-0mStart", datetime(2025, 1, 1, 10, 30, 15, 123456, tzinfo=UTC)),
        ("-1yStart", datetime(2024, 1, 1, 10, 30, 15, 123456, tzinfo=UTC)),
        ("-1hStart", datetime(2025, 1, 31, 9, 0, tzinfo=UTC)),
        ("2025-1-5", datetime(2025, 1, 5, tzinfo=UTC)),
        ("D", NOW),
    ],
)
def test_relative_dates_without_truncation(text: str, expected: datetime) -> None:
    """``checks_date_from`` / ``checks_date_to``: subtracted, never truncated."""
    assert relative_date_parse(text, NOW) == expected


def test_an_hour_letter_without_a_number_truncates_to_the_day() -> None:
    """Truncation follows whether an hour count was given, not the letter."""
    assert parse_snooze("h", NOW) == datetime(2025, 1, 31, tzinfo=UTC)


@pytest.mark.parametrize(
    ("first", "second", "similar", "word"),
    [
        ("word", "two words", 0.363636, 0.8),  # the pg_trgm documentation's example
        ("revenue", "spike in revenue", 8 / 17, 1.0),
        ("", "anything", 0.0, 0.0),
        ("a_b", "a b", 1.0, 1.0),  # underscores split words like any punctuation
    ],
)
def test_trigram_similarities_match_pg_trgm(
    first: str, second: str, similar: float, word: float
) -> None:
    assert similarity(first, second) == pytest.approx(similar, abs=1e-6)
    assert word_similarity(first, second) == pytest.approx(word, abs=1e-6)


@pytest.mark.parametrize(
    ("windows", "expected"),
    [
        ([], None),
        ([{"start": "22:00", "end": "07:00"}], [{"start": "22:00", "end": "07:00"}]),
        (
            [{"start": "10:40", "end": "11:15"}, {"start": "10:30", "end": "11:00"}],
            [{"start": "10:30", "end": "11:15"}],
        ),
        (
            [{"start": "13:00", "end": "14:00"}, {"start": "09:00", "end": "10:00"}],
            [{"start": "09:00", "end": "10:00"}, {"start": "13:00", "end": "14:00"}],
        ),
    ],
)
def test_schedule_is_normalised(windows: list[dict[str, str]], expected: Any) -> None:
    result = normalize_schedule({"blocked_windows": windows})

    assert result == (None if expected is None else {"blocked_windows": expected})


@pytest.mark.parametrize(
    "value",
    [
        {"blocked_windows": "22:00-07:00"},
        {"blocked_windows": {}},
        [],
        {"blocked_windows": [{"start": "10:00"}]},
        {"blocked_windows": [{"start": "10:00", "end": "10:00"}]},
        {"blocked_windows": [{"start": "10:00:00", "end": "11:00"}]},
        {"blocked_windows": [{"start": "24:00", "end": "01:00"}]},
        {"blocked_windows": [{"start": "10:00", "end": "10:29"}]},
        {"blocked_windows": ["10:00-11:00"]},
        {"blocked_windows": [{"start": f"{h:02d}:00", "end": f"{h:02d}:30"} for h in range(6)]},
        {
            "blocked_windows": [
                {"start": "00:00", "end": "12:00"},
                {"start": "12:00", "end": "00:00"},
            ]
        },
    ],
)
def test_invalid_schedules(value: Any) -> None:
    with pytest.raises(ScheduleError, match=r"Invalid schedule restriction\."):
        normalize_schedule(value)


def test_datetimes_render_like_drf() -> None:
    assert format_datetime(NOW) == "2025-01-31T10:30:15.123456Z"
    assert format_datetime(datetime(2025, 6, 4, 1, tzinfo=UTC)) == "2025-06-04T01:00:00Z"
    assert parse_datetime("2h") is None
    assert parse_datetime("2025-06-04") == datetime(2025, 6, 4, tzinfo=UTC)


def test_clock_ticks_strictly_increase_even_when_time_stands_still() -> None:
    clock = Clock(lambda: NOW)

    ticks = [clock.tick() for _ in range(3)]

    assert ticks == sorted(set(ticks))
    clock.advance_past(datetime(2030, 1, 1, tzinfo=UTC))
    assert clock.tick() > datetime(2030, 1, 1, tzinfo=UTC)


def test_ids_are_ordered_within_one_millisecond() -> None:
    ids = IdFactory()

    made = [ids.new(NOW) for _ in range(5000)]

    assert made == sorted(made)
    assert len(set(made)) == 5000


def test_window_defaults_and_links() -> None:
    assert window_from({}) == Window(limit=100, offset=0)
    page = paginated(5, [1, 2], Window(limit=2, offset=2), "http://h/x/?b=1&a=2&offset=2")
    assert page["next"] == "http://h/x/?a=2&b=1&limit=2&offset=4"
    assert page["previous"] == "http://h/x/?a=2&b=1&limit=2"


def test_default_seed_values_are_the_documented_ones() -> None:
    seed = load_seed(None)

    assert (seed.project_id, seed.organization.name) == (1, "Hedgebox Inc.")
    assert {user.id: user.email for user in seed.users.values()} == {
        1: "ada@example.com",
        2: "grace@example.com",
        3: "alan@example.com",
        4: "margaret@example.com",
        99: "eve@other.example.com",
    }
    assert [(m.user_id, m.level) for m in seed.members] == [(1, 15), (2, 8), (3, 1), (4, 1)]
    short_ids = {insight.id: insight.short_id for insight in seed.insights.values()}
    assert short_ids == {
        101: "Ab3dE9fG", 102: "Kx7pQ2mN", 103: "Pq9rS4tU", 104: "Bn5vC8xZ",
        105: "Hm2kL5jD", 106: "Fu1nN3lS", 107: "Rt6yU0iO", 108: "Dd4eL3tD",
        109: "Sq1LrT7w", 110: "Er5vQ8sZ", 111: "Cv2tR9wX", 112: "Tc4oN6vE",
        113: "Mx3pL7aT", 114: "Dn8bW2sR",
    }  # fmt: skip
    assert [i.id for i in seed.insights.values() if i.deleted] == [108]
    assert (seed.alert_limit, seed.entitlements.every_15_minutes) == (None, True)
    assert (seed.entitlements.real_time, seed.entitlements.real_time_limit) == (True, None)
    assert (seed.organization.feature_flags, seed.timezone) == (frozenset({"metrics"}), "UTC")


def test_default_seed_is_a_fresh_copy() -> None:
    default_seed()["project_id"] = 42

    assert default_seed()["project_id"] == 1


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_seed_files_load_as_json_or_yaml(tmp_path: Path, suffix: str) -> None:
    data = default_seed()
    data["project_id"] = 7
    path = tmp_path / f"seed{suffix}"
    path.write_text(json.dumps(data) if suffix == ".json" else yaml.safe_dump(data))

    with Emulator(seed=path) as emu:
        assert emu.project_id == 7
        assert emu.api_key == "phx_emulator_full_access_key_do_not_use_in_production"


def _broken(change: str) -> dict[str, Any]:
    seed = default_seed()
    if change == "typo":
        seed["insight"] = []
    elif change == "member":
        seed["members"].append({"user": 500})
    elif change == "keys":
        seed["api_keys"] = []
    elif change == "type":
        seed["project_id"] = "1"
    elif change == "alert":
        seed["alerts"] = [{"insight": 107}]
    return seed


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("typo", "unknown key 'insight'"),
        ("member", "unknown user id 500"),
        ("keys", "at least one API key"),
        ("type", "expected int, got str"),
        (
            "alert",
            r"seed\.alerts\[0\]: Alerts are not supported for this insight. \(attr insight\)",
        ),
    ],
)
def test_malformed_seeds_are_refused_with_an_address(change: str, message: str) -> None:
    with pytest.raises(SeedError, match=message):
        Emulator(seed=_broken(change))
