"""Retry policy: backoff, the server's requested wait, the budget, cancellation. No sleeping:
the clock and the sleep are fakes."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from alertsync.edges.posthog.retry import Retrier, Retryable, RetryPolicy, server_wait
from alertsync.errors import Abandoned, NetworkError, RetriesExhausted
from tests.builders import FakeTime


def retrier(time: FakeTime, **policy: float) -> Retrier:
    return Retrier(RetryPolicy(**policy), clock=time.clock, sleep=time.sleep, rng=random.Random(0))


def flaky(failures: int, wait: float | None = None) -> tuple[list[int], object]:
    calls: list[int] = []

    def attempt() -> str:
        calls.append(1)
        if len(calls) <= failures:
            raise Retryable(NetworkError(f"listing alerts: failure {len(calls)}"), wait)
        return "ok"

    return calls, attempt


def test_backoff_grows_exponentially_with_jitter_and_a_ceiling() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0)
    rng = random.Random(1)
    for retry, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0), (60, 8.0)]:
        delays = [policy.backoff(retry, rng) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays), (retry, delays)
        assert len(set(delays)) > 1  # jitter


@pytest.mark.parametrize(
    ("header", "detail", "expected"),
    [
        (None, "Request was throttled. Expected available in 37 seconds.", 37.0),
        (None, "Request was throttled. Expected available in 1 second.", 1.0),
        (None, "Request was throttled.", None),
        (None, None, None),
        ("12", "Request was throttled. Expected available in 37 seconds.", 12.0),
        ("0", None, 0.0),
        ("soon", "Expected available in 5 seconds.", 5.0),
    ],
)
def test_server_wait_prefers_retry_after_then_posthogs_text(
    header: str | None, detail: str | None, expected: float | None
) -> None:
    assert server_wait(header, detail, now=0.0) == expected


def test_server_wait_reads_an_http_date() -> None:
    now = datetime(2025, 6, 2, 10, 0, 0, tzinfo=UTC)
    later = format_datetime(datetime(2025, 6, 2, 10, 0, 30, tzinfo=UTC), usegmt=True)
    assert server_wait(later, None, now=now.timestamp()) == pytest.approx(30.0)
    earlier = format_datetime(datetime(2025, 6, 2, 9, 0, 0, tzinfo=UTC), usegmt=True)
    assert server_wait(earlier, None, now=now.timestamp()) == 0.0


def test_retries_until_an_attempt_succeeds() -> None:
    time = FakeTime()
    calls, attempt = flaky(3)
    assert retrier(time, base_delay=0.5).call(attempt) == "ok"  # type: ignore[arg-type]
    assert len(calls) == 4
    assert len(time.sleeps) == 3
    assert time.sleeps[0] <= 0.5 < time.sleeps[2]


def test_the_servers_wait_is_honoured() -> None:
    time = FakeTime()
    _calls, attempt = flaky(1, wait=37.0)
    retrier(time, base_delay=0.5).call(attempt)  # type: ignore[arg-type]
    assert time.sleeps == [37.0]


def test_gives_up_with_a_clear_error_once_the_budget_is_spent() -> None:
    time = FakeTime()
    calls, attempt = flaky(1000)
    with pytest.raises(RetriesExhausted) as info:
        retrier(time, max_retry_time=10, base_delay=1).call(attempt)  # type: ignore[arg-type]
    assert sum(time.sleeps) <= 10
    message = str(info.value)
    assert message.startswith("listing alerts: failure")
    assert f"gave up after {len(calls)} attempt(s)" in message
    assert "--max-retry-time" in message


def test_a_wait_longer_than_the_budget_is_not_attempted() -> None:
    time = FakeTime()
    calls, attempt = flaky(5, wait=3000.0)
    with pytest.raises(RetriesExhausted, match="asks to wait 3000 s"):
        retrier(time, max_retry_time=60).call(attempt)  # type: ignore[arg-type]
    assert calls == [1] and time.sleeps == []


def test_a_zero_budget_means_one_attempt() -> None:
    time = FakeTime()
    calls, attempt = flaky(1)
    with pytest.raises(RetriesExhausted):
        retrier(time, max_retry_time=0).call(attempt)  # type: ignore[arg-type]
    assert calls == [1]


def test_other_errors_are_not_retried() -> None:
    time = FakeTime()

    def attempt() -> str:
        raise NetworkError("definitely broken")

    with pytest.raises(NetworkError, match="definitely broken"):
        retrier(time).call(attempt)
    assert time.sleeps == []


def test_a_cancelled_run_does_not_send_or_retry() -> None:
    time = FakeTime()
    stop = [False]
    calls, attempt = flaky(10)
    runner = Retrier(RetryPolicy(), clock=time.clock, sleep=time.sleep, cancelled=lambda: stop[0])
    stop[0] = True
    with pytest.raises(Abandoned) as before:
        runner.call(attempt)  # type: ignore[arg-type]
    assert not before.value.sent and calls == []

    stop[0] = False
    budget = runner.budget()

    def fail_then_cancel() -> str:
        stop[0] = True
        raise Retryable(NetworkError("boom"))

    with pytest.raises(Abandoned) as during:
        runner.call(fail_then_cancel, budget)
    assert during.value.sent and "not retried" in str(during.value)


def test_the_budget_is_shared_by_the_attempts_it_is_given_to() -> None:
    time = FakeTime()
    runner = retrier(time, max_retry_time=5, base_delay=1)
    budget = runner.budget()
    _calls, first = flaky(2)
    runner.call(first, budget)  # type: ignore[arg-type]
    spent = time.now - 1000.0
    _calls, second = flaky(1000)
    with pytest.raises(RetriesExhausted):
        runner.call(second, budget)  # type: ignore[arg-type]
    assert time.now - 1000.0 <= 5 and spent > 0


def test_a_server_wait_as_long_as_the_whole_budget_is_honoured() -> None:
    """PostHog's minute window says "Expected available in 60 seconds"; the default budget
    is 60 s and a moment has passed: the wait still fits, within a second's grace."""
    time = FakeTime()
    calls, attempt = flaky(1, wait=60.0)
    pace = retrier(time, max_retry_time=60.0)

    def late_attempt() -> str:
        time.now += 0.4  # the first request took a moment
        return attempt()  # type: ignore[operator]

    assert pace.call(late_attempt) == "ok"
    assert time.sleeps == [60.0] and len(calls) == 2
