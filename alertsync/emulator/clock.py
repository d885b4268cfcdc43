"""Time and identifiers the way PostHog renders them.

* Datetimes render like DRF's ``DateTimeField``: ISO 8601 in UTC with a ``Z`` suffix, and
  microseconds only when they are non-zero (``2025-06-02T10:15:30.123456Z``).
* Ids are time-ordered UUIDs (UUIDv7 layout: 48-bit millisecond timestamp, a 12-bit counter
  that keeps ids strictly increasing within a millisecond, random bits).
* :class:`Clock` hands out creation times that never repeat and never go backwards, so
  "newest first" is a strict order even when two alerts are created in the same microsecond.
"""

from __future__ import annotations

import os
import re
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

_ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_ONE_MICROSECOND = timedelta(microseconds=1)
_COUNTER_MAX = 0xFFF


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def format_datetime(value: datetime) -> str:
    """Render ``value`` as DRF does: converted to UTC, ``+00:00`` written as ``Z``."""
    text = value.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


def parse_datetime(text: str) -> datetime | None:
    """Parse an ISO date or datetime; naive values are UTC. ``None`` when it is not ISO."""
    if not _ISO_DATETIME.match(text):
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Clock:
    """UTC wall-clock time whose :meth:`tick` readings strictly increase."""

    def __init__(self, source: Callable[[], datetime] = utcnow) -> None:
        self._source = source
        self._last: datetime | None = None
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """A plain reading of the clock (may repeat), for relative dates and schedules."""
        return self._source()

    def tick(self) -> datetime:
        """A reading later than every earlier tick: use it for creation times."""
        with self._lock:
            moment = self._source()
            if self._last is not None and moment <= self._last:
                moment = self._last + _ONE_MICROSECOND
            self._last = moment
            return moment

    def advance_past(self, moment: datetime) -> None:
        """Make every later tick come after ``moment`` (used after loading saved state)."""
        with self._lock:
            if self._last is None or moment > self._last:
                self._last = moment


class IdFactory:
    """Time-ordered UUIDs: ids made later always compare greater, as strings too."""

    def __init__(self) -> None:
        self._last_ms = -1
        self._counter = 0
        self._lock = threading.Lock()

    def new(self, moment: datetime) -> str:
        """A new id whose timestamp part is ``moment`` (or just after the previous id)."""
        millis, counter = self._next_slot(int(moment.timestamp() * 1000))
        random_bits = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
        value = (millis << 80) | (0x7 << 76) | (counter << 64) | (0b10 << 62) | random_bits
        return str(uuid.UUID(int=value))

    def _next_slot(self, millis: int) -> tuple[int, int]:
        with self._lock:
            if millis > self._last_ms:
                self._last_ms, self._counter = millis, 0
            elif self._counter < _COUNTER_MAX:
                self._counter += 1
            else:
                self._last_ms, self._counter = self._last_ms + 1, 0
            return self._last_ms, self._counter
