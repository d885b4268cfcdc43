"""Retrying requests: how long to wait between attempts and when to give up.

Pure apart from the clock, the sleep and the random source, which are injected (tests pass
fakes and never sleep). What is worth retrying is decided by the client, which raises
:class:`Retryable` from an attempt; everything else propagates untouched.

* Delays grow exponentially from ``base_delay`` up to ``max_delay``, with "equal jitter"
  (half the delay fixed, half random) so parallel runs do not retry in lockstep.
* A wait the server asks for (a ``Retry-After`` header, or the text of PostHog's 429 body,
  ``Request was throttled. Expected available in N seconds.``) is honoured: the delay is
  never shorter than it.
* All attempts of one request share a :class:`Budget`: once retrying would take longer than
  ``max_retry_time`` seconds in total, the last failure is raised as
  :class:`~alertsync.errors.RetriesExhausted`.
"""

from __future__ import annotations

import math
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import TypeVar

from alertsync.errors import Abandoned, AlertsyncError, NetworkError, RetriesExhausted

T = TypeVar("T")

DEFAULT_MAX_RETRY_TIME = 60.0
DEFAULT_BASE_DELAY = 0.5
DEFAULT_MAX_DELAY = 30.0
# PostHog's minute window answers "Expected available in 60 seconds": a wait that ends
# within a second of the budget's end is still honoured.
GRACE_SECONDS = 1.0

_THROTTLE_TEXT = re.compile(r"Expected available in (\d+(?:\.\d+)?) seconds?", re.IGNORECASE)


@dataclass(frozen=True)
class RetryPolicy:
    max_retry_time: float = DEFAULT_MAX_RETRY_TIME  # seconds, all attempts of one request
    base_delay: float = DEFAULT_BASE_DELAY
    max_delay: float = DEFAULT_MAX_DELAY

    def backoff(self, retry: int, rng: random.Random) -> float:
        """The delay before retry number ``retry`` (1 = the first retry)."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** min(retry - 1, 32))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


def server_wait(retry_after: str | None, detail: str | None, now: float) -> float | None:
    """Seconds the server asked to wait: ``Retry-After`` first, else PostHog's 429 text.

    ``retry_after`` is delta-seconds or an HTTP date (compared with ``now``, a Unix time).
    """
    if retry_after:
        text = retry_after.strip()
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            return float(text)
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            moment = None
        if moment is not None:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return max(0.0, moment.timestamp() - now)
    match = _THROTTLE_TEXT.search(detail or "")
    return float(match.group(1)) if match else None


class Retryable(Exception):  # a signal between the client and the retrier
    """An attempt failed in a way worth retrying; ``error`` is what the user sees if not."""

    def __init__(self, error: AlertsyncError, wait: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait = wait


@dataclass
class Budget:
    """The attempts of one request so far, when the first one started, and how many of
    the latest ones failed in a row (what the backoff grows with)."""

    started: float
    attempts: int = 0
    failures: int = 0

    @property
    def sent(self) -> bool:
        return self.attempts > 0


OnRetry = Callable[[AlertsyncError, int, float, float], None]  # error, attempt, delay, left


class Retrier:
    """Runs attempts until one succeeds, a failure is not retryable, or the budget is spent."""

    def __init__(
        self,
        policy: RetryPolicy,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        on_retry: OnRetry | None = None,
    ) -> None:
        self.policy = policy
        self._clock = clock
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._cancelled = cancelled
        self._on_retry = on_retry

    def budget(self) -> Budget:
        return Budget(self._clock())

    def call(self, attempt: Callable[[], T], budget: Budget | None = None) -> T:
        """``attempt()`` until it returns; a :class:`Retryable` failure is retried."""
        budget = budget or self.budget()
        while True:
            self.check_cancelled(budget)
            budget.attempts += 1
            try:
                result = attempt()
            except Retryable as failure:
                self.pause(failure.error, failure.wait, budget)
            else:
                budget.failures = 0
                return result

    def check_cancelled(self, budget: Budget) -> None:
        if self._cancelled():
            what = "before it was sent" if not budget.sent else "before it was sent again"
            raise Abandoned(f"not sent: the run was interrupted {what}", sent=budget.sent)

    def pause(self, error: AlertsyncError, wait: float | None, budget: Budget) -> None:
        """Sleep before the next attempt, or raise when the budget or the user says stop."""
        if self._cancelled():
            raise Abandoned(f"{error} (not retried: the run was interrupted)", sent=True)
        budget.failures += 1
        delay = max(wait or 0.0, self.policy.backoff(budget.failures, self._rng))
        elapsed = self._clock() - budget.started
        left = self.policy.max_retry_time - elapsed
        grace = GRACE_SECONDS if wait is not None and self.policy.max_retry_time > 0 else 0.0
        if wait is not None and wait > left + grace:
            raise RetriesExhausted(
                error,
                f"PostHog asks to wait {math.ceil(wait)} s, more than the "
                f"{_seconds(max(left, 0.0))} left of the retry budget of "
                f"{_seconds(self.policy.max_retry_time)} (--max-retry-time)",
            )
        if delay > left + grace:
            raise RetriesExhausted(error, self.exhausted(budget))
        if self._on_retry is not None:
            self._on_retry(error, budget.attempts + 1, delay, left - delay)
        self._sleep(delay)

    def pause_to_resend(
        self, error: AlertsyncError, retryable: bool, wait: float | None, budget: Budget, why: str
    ) -> None:
        """A write whose response was lost, and which a fresh listing shows was not made
        (`why` says so): pause before sending it again, or raise, every error saying why."""
        if not retryable:
            raise NetworkError(f"{error}{why}") from None
        try:
            self.pause(error, wait, budget)
        except RetriesExhausted as exc:
            raise RetriesExhausted(exc.last, f"{exc.why}{why}") from None
        except Abandoned as exc:
            raise Abandoned(f"{exc}{why}", sent=True) from None

    def settle(self, budget: Budget) -> None:
        """A short wait, if the budget allows one, before checking what a lost request did."""
        delay = self.policy.backoff(max(budget.failures, 1), self._rng)
        if not self._cancelled() and self._clock() - budget.started + delay <= (
            self.policy.max_retry_time
        ):
            self._sleep(delay)

    def exhausted(self, budget: Budget) -> str:
        elapsed = self._clock() - budget.started
        return (
            f"gave up after {budget.attempts} attempt(s) in {_seconds(elapsed)}; "
            f"the retry budget is {_seconds(self.policy.max_retry_time)} (--max-retry-time)"
        )


def _seconds(value: float) -> str:
    return f"{value:.0f} s" if value >= 10 else f"{value:.1f} s"
