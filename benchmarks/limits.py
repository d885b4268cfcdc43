"""PostHog's rate limits, and the least time they allow for a number of requests.

PostHog throttles personal-API-key requests with DRF's ``SimpleRateThrottle``: each limit
keeps the times of the requests it allowed in the last ``seconds`` and refuses a request
when it already holds ``requests`` of them (refused requests are not recorded). Alerts and
members share the default ``BurstRateThrottle`` (480/minute) and ``SustainedRateThrottle``
(4,800/hour); the insights endpoints have their own ClickHouse throttles (240/minute,
1,200/hour). Counters are per hashed API key (contract §7).

Sending as early as every limit allows, request ``k`` (0-based) of a scope goes out at
``max(floor(k / requests) * seconds)`` over that scope's limits: the first 480 at once, the
next 480 a minute later, and so on. The last answer arrives one round trip after the last
request is sent, so that is the least time any client can take for the whole job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    requests: int
    seconds: float


SCOPE_LIMITS: dict[str, tuple[Limit, ...]] = {
    "default": (Limit(480, 60.0), Limit(4_800, 3_600.0)),
    "insights": (Limit(240, 60.0), Limit(1_200, 3_600.0)),
}


def earliest_last_send(count: int, limits: tuple[Limit, ...]) -> float:
    """When the last of ``count`` requests can be sent at the earliest (the first at 0 s)."""
    if count <= 0:
        return 0.0
    return max((count - 1) // limit.requests * limit.seconds for limit in limits)


def least_time(counts: Mapping[str, int], round_trip_s: float) -> float:
    """The least wall time for ``counts`` requests per scope, each scope throttled alone."""
    sends = [earliest_last_send(n, SCOPE_LIMITS.get(s, ())) for s, n in counts.items()]
    return max(sends, default=0.0) + round_trip_s
