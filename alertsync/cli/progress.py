"""Progress on a terminal: one line on stderr, redrawn in place, for long plans and applies.

Shown only when stderr is a terminal and --quiet is not given, whatever stdout is (a plan
redirected to a file still shows progress); stdout (the plan, the report) is never touched.
A wait for the client-side rate limiter shows on the line ("waiting 12 s for PostHog's
rate limit") instead of an estimate that would freeze. Thread-safe: pages and changes
finish on worker threads.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import TextIO

REDRAW_EVERY = 0.1  # seconds
WAIT_SHOWN_FROM = 1.0  # seconds: shorter waits are part of the normal pace


class Progress:
    def __init__(
        self, stream: TextIO | None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._stream = stream  # None: progress is off
        self._clock = clock
        self._lock = threading.Lock()
        self._started: dict[str, float] = {}
        self._drawn_at = 0.0
        self._shown = False
        self._last: tuple[str, int, int, str] | None = None
        self._wait_until = 0.0

    @property
    def enabled(self) -> bool:
        return self._stream is not None

    def update(self, what: str, done: int, total: int, unit: str) -> None:
        """`done` of `total` `unit`s of `what` (e.g. reading alerts: 300 of 10000 alerts)."""
        if self._stream is None:
            return
        with self._lock:
            now = self._clock()
            self._started.setdefault(what, now)
            self._last = (what, done, total, unit)
            if now - self._drawn_at < REDRAW_EVERY and done < total:
                return
            self._redraw(now)

    def waiting(self, seconds: float) -> None:
        """The rate limiter holds requests back for `seconds`: say so on the line now."""
        if self._stream is None or seconds < WAIT_SHOWN_FROM:
            return
        with self._lock:
            now = self._clock()
            self._wait_until = max(self._wait_until, now + seconds)
            self._redraw(now)

    def clear(self) -> None:
        """Take the line away before something else is written to the terminal."""
        if self._stream is None:
            return
        with self._lock:
            if self._shown:
                self._stream.write("\r\x1b[K")
                self._stream.flush()
                self._shown = False

    def _redraw(self, now: float) -> None:
        wait = self._wait_until - now
        text = ""
        if self._last is not None:
            what, done, total, unit = self._last
            text = line(what, done, total, unit, now - self._started[what], estimate=wait <= 0)
        if wait > 0:
            text = f"{text}, {waiting(wait)}" if text else waiting(wait)
        self._drawn_at = now
        self._draw(text)

    def _draw(self, text: str) -> None:
        assert self._stream is not None
        self._stream.write("\r\x1b[K" + text)
        self._stream.flush()
        self._shown = True


def waiting(seconds: float) -> str:
    return f"waiting {math.ceil(seconds)} s for PostHog's rate limit"


def line(
    what: str, done: int, total: int, unit: str, elapsed: float, *, estimate: bool = True
) -> str:
    """`reading alerts: 300/10000 alerts, 1500/s, about 7 s left`."""
    text = f"{what}: {done}/{total} {unit}"
    if elapsed > 0 and done > 0:
        rate = done / elapsed
        text += f", {rate:.0f}/s"
        if done < total and estimate:
            text += f", about {(total - done) / rate:.0f} s left"
    return text
