"""Instants as numbers: PostHog's ISO 8601 timestamps read and written without `datetime`
in the core, checked against `datetime` itself."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alertsync.core.instants import (
    fixed_offset,
    format_instant,
    local_day,
    parse_instant,
    utc,
    weekday,
)

JUNE_3 = datetime(2025, 6, 3, 1, 0, 4, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-06-03T01:00:04Z", JUNE_3),
        ("2025-06-03T01:00:04.551200Z", JUNE_3 + 0.5512),
        ("2025-06-03T01:00:04+00:00", JUNE_3),  # delivery receipts use Python's form
        ("2025-06-03T03:00:04+02:00", JUNE_3),
        ("2025-06-02T20:00:04-0500", JUNE_3),
        ("2025-06-03 01:00:04", JUNE_3),  # no offset: UTC, as PostHog writes them
        ("2025-06-03", datetime(2025, 6, 3, tzinfo=UTC).timestamp()),
        ("2024-02-29T00:00:00Z", datetime(2024, 2, 29, tzinfo=UTC).timestamp()),
    ],
)
def test_posthog_timestamps_read_as_datetime_reads_them(text: str, expected: float) -> None:
    assert parse_instant(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    [None, 3, "", "yesterday", "2025-02-29T00:00:00Z", "2025-13-01", "2025-06-03T24:00:00Z"],
)
def test_anything_else_is_not_an_instant(text: object) -> None:
    assert parse_instant(text) is None


@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
def test_format_and_parse_agree_with_datetime(moment: datetime) -> None:
    aware = moment.replace(tzinfo=UTC, microsecond=0)
    seconds = aware.timestamp()
    assert format_instant(seconds) == aware.isoformat().replace("+00:00", "Z")
    assert parse_instant(aware.isoformat()) == seconds
    day, into = local_day(seconds + 0.25, utc)
    assert weekday(day) == aware.weekday()
    assert into == pytest.approx(aware.hour * 3600 + aware.minute * 60 + aware.second + 0.25)


def test_fractions_are_dropped_when_written() -> None:
    assert format_instant(JUNE_3 + 0.999) == "2025-06-03T01:00:04Z"
    assert format_instant(-0.5) == "1969-12-31T23:59:59Z"


def test_a_local_day_follows_the_zone_offset() -> None:
    late_sunday = datetime(2025, 6, 8, 23, 30, tzinfo=UTC).timestamp()
    day, into = local_day(late_sunday, fixed_offset(120))  # 01:30 on Monday in UTC+2
    assert weekday(day) == 0 and into == 5400
    day, into = local_day(late_sunday, fixed_offset(-60))
    assert weekday(day) == 6 and math.isclose(into, 22.5 * 3600)
