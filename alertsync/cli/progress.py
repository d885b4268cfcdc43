"""Progress on a terminal: one line on stderr, redrawn in place, for long plans and applies.

Shown only when stderr is a terminal and --quiet is not given; stdout (the plan, the report)
is never touched. Thread-safe: pages and changes finish on worker threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TextIO

REDRAW_EVERY = 0.1  # seconds


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

    @property
    def enabled(self) -> bool:
        return self._stream is not None

    def update(self, what: str, done: int, total: int, unit: str) -> None:
        """`done` of `total` `unit`s of `what` (e.g. reading alerts: 300 of 10000 alerts)."""
        if self._stream is None:
            return
        with self._lock:
            now = self._clock()
            start = self._started.setdefault(what, now)
            if now - self._drawn_at < REDRAW_EVERY and done < total:
                return
            self._drawn_at = now
            self._draw(line(what, done, total, unit, now - start))

    def clear(self) -> None:
        """Take the line away before something else is written to the terminal."""
        if self._stream is None:
            return
        with self._lock:
            if self._shown:
                self._stream.write("\r\x1b[K")
                self._stream.flush()
                self._shown = False

    def _draw(self, text: str) -> None:
        assert self._stream is not None
        self._stream.write("\r\x1b[K" + text)
        self._stream.flush()
        self._shown = True


def line(what: str, done: int, total: int, unit: str, elapsed: float) -> str:
    """`reading alerts: 300/10000 alerts, 1500/s, about 7 s left`."""
    text = f"{what}: {done}/{total} {unit}"
    if elapsed > 0 and done > 0:
        rate = done / elapsed
        text += f", {rate:.0f}/s"
        if done < total:
            text += f", about {(total - done) / rate:.0f} s left"
    return text
