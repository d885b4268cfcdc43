"""The wall clock and the project's timezone: what `status` measures lateness against.

The core takes both as values (an instant in seconds, and an `Offset`); they are read here.
PostHog's alerts API does not say which timezone a project is in, so the caller names it
(`--timezone`, an IANA name such as `Europe/Paris`; default UTC).
"""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from alertsync.core.instants import Offset, utc
from alertsync.errors import ConfigError


def now() -> float:
    """The current instant, in seconds since 1970-01-01 UTC."""
    return time.time()


def zone_offset(name: str) -> Offset:
    """The offset from UTC, at any instant, of the IANA timezone `name`."""
    if name.strip().upper() in ("UTC", "Z", "ETC/UTC"):
        return utc
    try:
        zone = ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"unknown timezone {name!r}: --timezone takes an IANA name such as Europe/Paris "
            "or America/New_York (the project's timezone, in its PostHog settings)"
        ) from None

    def offset(instant: float) -> float:
        try:
            delta = datetime.fromtimestamp(instant, zone).utcoffset()
        except (OverflowError, OSError, ValueError):  # beyond the years datetime can hold
            return 0.0
        return delta.total_seconds() if delta is not None else 0.0

    return offset
