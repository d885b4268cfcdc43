"""PostHog's rate limits (contract §7), counted the way DRF's ``SimpleRateThrottle`` does.

* Personal API key requests are throttled per hashed key and per scope: ``burst``
  480/minute and ``sustained`` 4800/hour for the alerts and members endpoints;
  ``clickhouse_burst`` 240/minute and ``clickhouse_sustained`` 1200/hour for insights.
* Each scope keeps a history of request times (newest first). A request is allowed when
  fewer than ``num_requests`` times lie within ``duration``; then its time is recorded. A
  throttled request is **not** recorded (``throttle_failure`` records nothing). Every scope
  of the view is checked, and each records its own success, as in ``check_throttles``.
* The wait is DRF's ``wait()``: the time until the oldest counted request leaves the window,
  divided by the requests still available plus one; the largest over the failing scopes,
  rounded up. The 429 carries drf-exceptions-hog's body and no ``Retry-After`` header.
* Throttling comes after authentication and the scope check (DRF's ``initial()``), so 401
  and 403 answers are never throttled and never counted.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from alertsync.emulator.faults import throttled_body
from alertsync.emulator.refusals import ApiError


@dataclass(frozen=True)
class Rate:
    scope: str
    num_requests: int
    duration: float  # seconds


DEFAULT_RATES = (Rate("burst", 480, 60), Rate("sustained", 4800, 3600))
CLICKHOUSE_RATES = (Rate("clickhouse_burst", 240, 60), Rate("clickhouse_sustained", 1200, 3600))


def rates_for(path: str) -> tuple[Rate, ...]:
    return CLICKHOUSE_RATES if "/insights" in path else DEFAULT_RATES


class Throttle:
    """Sliding windows of request times per (scope, hashed key)."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._history: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str, path: str) -> None:
        """Record the request, or raise PostHog's 429 when a window is full."""
        ident = hashlib.sha256(key.encode()).hexdigest()
        waits: list[float | None] = []
        with self._lock:
            now = self._clock()
            for rate in rates_for(path):
                history = self._history.setdefault((rate.scope, ident), deque())
                while history and history[-1] <= now - rate.duration:
                    history.pop()
                if len(history) >= rate.num_requests:
                    waits.append(_wait(history, rate, now))
                else:
                    history.appendleft(now)
        if waits:
            known = [w for w in waits if w is not None]
            wait = math.ceil(max(known)) if known else None
            body = throttled_body(wait)
            raise ApiError(429, body["type"], body["code"], body["detail"])


def _wait(history: deque[float], rate: Rate, now: float) -> float | None:
    remaining = rate.duration - (now - history[-1]) if history else rate.duration
    available = rate.num_requests - len(history) + 1
    return remaining / available if available > 0 else None
