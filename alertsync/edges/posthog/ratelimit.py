"""Client-side pacing, so a large apply stays under PostHog's rate limits instead of
collecting 429s.

PostHog throttles personal API keys with DRF's ``SimpleRateThrottle``: at most 480
requests in any 60 seconds and 4800 in any hour, counted over a sliding window of request
times. :class:`RateLimiter` keeps the same kind of window on the client side, so one run
never exceeds them. The clock and the sleep are injected; `on_wait` hears of each wait
before it starts, so a progress line can say why nothing moves.
"""

from __future__ import annotations

import hashlib
import threading
import time
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

POSTHOG_PER_MINUTE = 480  # PostHog's burst limit for a personal API key
HOURLY_FACTOR = 10  # PostHog: 480/minute and 4800/hour
# PostHog counts a request when it arrives, alertsync when it sends it: requests in flight
# together may arrive in another order, so each window is kept a little longer.
MARGIN_SECONDS = 0.5


@dataclass(frozen=True)
class Window:
    requests: int
    seconds: float


INSIGHTS_PER_MINUTE = 240  # PostHog's ClickHouse throttles on the insights endpoints
INSIGHTS_PER_HOUR = 1200


def insights_windows(per_minute: int) -> tuple[Window, ...]:
    """The insights endpoints' own, lower limits (counted apart from the alerts')."""
    if per_minute <= 0:
        return ()
    return (
        Window(min(per_minute, INSIGHTS_PER_MINUTE), 60.0 + MARGIN_SECONDS),
        Window(min(per_minute * HOURLY_FACTOR, INSIGHTS_PER_HOUR), 3600.0 + MARGIN_SECONDS),
    )


def posthog_windows(per_minute: int) -> tuple[Window, ...]:
    """PostHog's burst and sustained windows for a per-minute limit (0 or less: none)."""
    if per_minute <= 0:
        return ()
    return (
        Window(per_minute, 60.0 + MARGIN_SECONDS),
        Window(per_minute * HOURLY_FACTOR, 3600.0 + MARGIN_SECONDS),
    )


class RateLimiter:
    """At most ``requests`` requests in any ``seconds`` seconds, for every window given."""

    def __init__(
        self,
        windows: Sequence[Window],
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        on_wait: Callable[[float], None] | None = None,
    ) -> None:
        self._on_wait = on_wait  # told each wait's seconds before it starts (a progress line)
        self._windows = tuple(w for w in windows if w.requests > 0)
        self._sent: list[float] = []  # request times, oldest first
        self._longest = max((w.seconds for w in self._windows), default=0.0)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()  # requests may be sent from several threads

    def acquire(self, cancelled: Callable[[], bool] = lambda: False) -> float | None:
        """Wait for a free slot and take it: the seconds waited, or None if cancelled."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                self._forget(now)
                delay = self._delay(now)
                if delay <= 0:
                    if self._windows:
                        self._sent.append(now)
                    return waited
            if cancelled():
                return None
            if self._on_wait is not None:
                self._on_wait(delay)
            self._sleep(delay)
            waited += delay

    def _forget(self, now: float) -> None:
        expired = bisect_right(self._sent, now - self._longest)
        if expired:
            del self._sent[:expired]

    def _delay(self, now: float) -> float:
        """How long until every window has room for one more request."""
        delay = 0.0
        for window in self._windows:
            counted = len(self._sent) - bisect_right(self._sent, now - window.seconds)
            if counted >= window.requests:
                oldest_that_counts = self._sent[len(self._sent) - window.requests]
                delay = max(delay, oldest_that_counts + window.seconds - now)
        return delay


@dataclass(frozen=True)
class KeyLimits:
    """What one key may use: its alerts and insights windows, and its requests in flight."""

    limiter: RateLimiter
    insights: RateLimiter
    in_flight: threading.BoundedSemaphore


class SharedLimits:
    """One run's limits, per API key: PostHog counts requests per key, so every client of
    the run that uses a key (several environments of alertsync.toml may) takes its slots
    from that key's limiters, and at most `concurrency` of the key's requests are in
    flight at once, whichever environment sends them."""

    def __init__(
        self,
        per_minute: int,
        concurrency: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._per_minute = per_minute
        self._concurrency = max(1, concurrency)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._keys: dict[str, KeyLimits] = {}

    def for_key(self, key: str) -> KeyLimits:
        """The limits of `key` (held by a digest of it, never the key itself)."""
        digest = hashlib.sha256(key.encode()).hexdigest()
        with self._lock:
            if digest not in self._keys:
                self._keys[digest] = KeyLimits(
                    RateLimiter(
                        posthog_windows(self._per_minute), clock=self._clock, sleep=self._sleep
                    ),
                    RateLimiter(
                        insights_windows(self._per_minute), clock=self._clock, sleep=self._sleep
                    ),
                    threading.BoundedSemaphore(self._concurrency),
                )
            return self._keys[digest]

    @property
    def keys(self) -> int:
        """How many keys the run has used."""
        return len(self._keys)
