"""Client-side pacing: PostHog's sliding windows, kept on our side. Fake clock, no sleeping."""

from __future__ import annotations

from alertsync.edges.posthog.ratelimit import RateLimiter, Window, posthog_windows
from tests.builders import FakeTime


def limiter(time: FakeTime, *windows: Window) -> RateLimiter:
    return RateLimiter(windows, clock=time.clock, sleep=time.sleep)


def test_posthogs_windows() -> None:
    assert posthog_windows(480) == (Window(480, 60.5), Window(4800, 3600.5))
    assert posthog_windows(0) == ()


def test_a_full_minute_waits_for_the_oldest_request_to_leave_the_window() -> None:
    time = FakeTime()
    pace = limiter(time, Window(3, 60))
    assert [pace.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    time.now += 10
    assert pace.acquire() == 50.0  # the first request leaves the window 60 s after it
    assert time.now == 1060.0 and time.sleeps == [50.0]
    assert pace.acquire() == 0.0  # all three older requests left the window together


def test_never_more_than_the_limit_in_any_window() -> None:
    time = FakeTime()
    pace = limiter(time, *posthog_windows(480))
    stamps = []
    for _ in range(2000):
        pace.acquire()
        stamps.append(time.now)
        time.now += 0.01
    for i, start in enumerate(stamps):
        in_minute = sum(1 for t in stamps[i:] if t < start + 60)
        assert in_minute <= 480


def test_the_hourly_window_applies_too() -> None:
    time = FakeTime()
    pace = limiter(time, Window(5, 1), Window(7, 100))
    for _ in range(7):
        pace.acquire()
        time.now += 1
    waited = pace.acquire()
    assert waited is not None and waited > 80  # the hour, not the second, is full


def test_no_windows_means_no_waiting() -> None:
    time = FakeTime()
    pace = limiter(time)
    assert all(pace.acquire() == 0.0 for _ in range(10_000))
    assert time.sleeps == []


def test_a_cancelled_wait_takes_no_slot() -> None:
    time = FakeTime()
    pace = limiter(time, Window(1, 60))
    pace.acquire()
    assert pace.acquire(cancelled=lambda: True) is None
    assert time.sleeps == []


def test_threads_never_exceed_the_window_together() -> None:
    import threading

    time = FakeTime()
    lock = threading.Lock()
    pace = limiter(time, Window(50, 60))
    granted: list[float] = []

    def worker() -> None:
        for _ in range(10):
            assert pace.acquire() is not None
            with lock:
                granted.append(time.now)

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(granted) == 100
    assert sum(1 for t in granted if t < 1000.0 + 60) == 50
