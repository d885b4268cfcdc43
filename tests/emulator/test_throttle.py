"""PostHog's rate limits in the emulator, counted like DRF's SimpleRateThrottle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from alertsync.emulator import Emulator
from alertsync.emulator.refusals import ApiError
from alertsync.emulator.throttle import Throttle
from tests.builders import ALERTS, client_for

INSIGHTS = "/api/projects/1/insights/"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 6, 2, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def throttled(check: Throttle, key: str = "k", path: str = ALERTS) -> str | None:
    try:
        check.check(key, path)
    except ApiError as error:
        assert error.status == 429
        return error.detail
    return None


def test_480_a_minute_then_429_with_posthogs_body_and_no_retry_after() -> None:
    clock = Clock()
    with Emulator(throttle=True, clock=clock) as emu, client_for(emu) as http:
        statuses = [http.get(ALERTS).status_code for _ in range(480)]
        assert statuses == [200] * 480
        refused = http.get(ALERTS)
    assert refused.status_code == 429
    assert refused.json() == {
        "type": "throttled_error",
        "code": "throttled",
        "detail": "Request was throttled. Expected available in 60 seconds.",
        "attr": None,
    }
    assert "retry-after" not in refused.headers


def test_throttled_requests_are_not_counted_and_the_window_slides() -> None:
    seconds = [0.0]
    check = Throttle(lambda: seconds[0])
    for _ in range(480):
        assert throttled(check) is None
        seconds[0] += 0.1  # 480 requests over 48 s
    seconds[0] = 50.0
    assert throttled(check) == "Request was throttled. Expected available in 10 seconds."
    for _ in range(100):
        assert throttled(check) is not None  # refusals record nothing...
    seconds[0] = 60.05
    assert throttled(check) is None  # ...so the first request's slot frees on time
    assert throttled(check) is not None
    seconds[0] = 60.15
    assert throttled(check) is None


def test_the_sustained_limit_is_4800_an_hour() -> None:
    seconds = [0.0]
    check = Throttle(lambda: seconds[0])
    for _ in range(4800):
        assert throttled(check) is None
        seconds[0] += 0.13  # 4800 in 624 s: never 480 within one minute
    detail = throttled(check)
    assert detail is not None and "Expected available in" in detail
    seconds[0] = 3601.0
    assert throttled(check) is None


def test_one_second_is_singular() -> None:
    seconds = [0.0]
    check = Throttle(lambda: seconds[0])
    for _ in range(480):
        check.check("k", ALERTS)
    seconds[0] = 59.5
    assert throttled(check) == "Request was throttled. Expected available in 1 second."


def test_keys_and_insights_have_their_own_counters() -> None:
    seconds = [0.0]
    check = Throttle(lambda: seconds[0])
    for _ in range(240):
        assert throttled(check, path=INSIGHTS) is None
    assert throttled(check, path=INSIGHTS) is not None  # 240/minute for insights
    for _ in range(480):
        assert throttled(check) is None  # the alerts counter is separate
    assert throttled(check) is not None
    assert throttled(check, key="another key") is None


@pytest.mark.parametrize("key", ["phx_wrong", None])
def test_unauthenticated_requests_are_never_throttled_nor_counted(key: str | None) -> None:
    with Emulator(throttle=True, clock=Clock()) as emu:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        with httpx.Client(base_url=emu.base_url, headers=headers) as bad:
            assert {bad.get(ALERTS).status_code for _ in range(500)} == {401}
        with client_for(emu) as good:
            assert {good.get(ALERTS).status_code for _ in range(480)} == {200}
            assert good.get(ALERTS).status_code == 429


def test_without_throttle_nothing_is_limited() -> None:
    with Emulator(clock=Clock()) as emu, client_for(emu) as http:
        assert {http.get(ALERTS).status_code for _ in range(600)} == {200}
