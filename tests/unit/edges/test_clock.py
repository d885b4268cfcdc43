"""The project's timezone from its IANA name: offsets that follow summer time, and one clear
error for a name the database does not know."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alertsync.core.instants import utc
from alertsync.core.overdue import expected_check, schedule_of
from alertsync.edges.clock import now, zone_offset
from alertsync.errors import ConfigError


def test_offsets_follow_summer_time() -> None:
    paris = zone_offset("Europe/Paris")
    assert paris(datetime(2025, 1, 15, tzinfo=UTC).timestamp()) == 3600
    assert paris(datetime(2025, 7, 15, tzinfo=UTC).timestamp()) == 7200
    assert zone_offset("America/New_York")(datetime(2025, 1, 15, tzinfo=UTC).timestamp()) == -18000


def test_utc_needs_no_timezone_database() -> None:
    assert zone_offset("UTC") is utc and zone_offset("utc") is utc


def test_quiet_hours_in_paris_across_the_spring_change() -> None:
    quiet = schedule_of("hourly", False, {"blocked_windows": [{"start": "01:00", "end": "06:00"}]})
    last = datetime(2025, 3, 29, 23, 30, tzinfo=UTC).timestamp()  # 00:30 in Paris (UTC+1)
    expected = expected_check(last, quiet, zone_offset("Europe/Paris"))
    assert datetime.fromtimestamp(expected, UTC) == datetime(2025, 3, 30, 4, 0, tzinfo=UTC)


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "../../etc/passwd", ""])
def test_an_unknown_timezone_is_one_clear_error(name: str) -> None:
    with pytest.raises(ConfigError, match=r"unknown timezone .* IANA name"):
        zone_offset(name)


def test_now_is_the_wall_clock() -> None:
    assert abs(now() - datetime.now(UTC).timestamp()) < 5
