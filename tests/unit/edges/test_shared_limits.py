"""One rate budget per key across a run: clients of several environments that use the same
key take their slots from the same windows, as PostHog counts them. Fake clock, no sleeping."""

from __future__ import annotations

import httpx

from alertsync.edges.posthog.client import PostHogClient
from alertsync.edges.posthog.ratelimit import SharedLimits
from alertsync.edges.posthog.settings import Connection, Tuning
from tests.builders import FakeTime


def members(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"count": 0, "next": None, "previous": None, "results": []})


def client(key: str, project: str, limits: SharedLimits, time: FakeTime) -> PostHogClient:
    return PostHogClient(
        Connection("https://posthog.test", project, key),
        Tuning(rate_limit=2),
        transport=httpx.MockTransport(members),
        clock=time.clock,
        sleep=time.sleep,
        limits=limits,
    )


def test_environments_with_one_key_share_its_windows() -> None:
    time = FakeTime()
    limits = SharedLimits(2, 4, clock=time.clock, sleep=time.sleep)
    staging = client("phx_shared_key_0001", "1", limits, time)
    production = client("phx_shared_key_0001", "2", limits, time)
    staging.members()
    production.members()
    assert time.sleeps == []
    staging.members()  # the key's third request within a minute waits for the first to leave
    assert time.sleeps and sum(time.sleeps) > 60
    assert limits.keys == 1


def test_environments_with_their_own_keys_do_not_wait_for_each_other() -> None:
    time = FakeTime()
    limits = SharedLimits(2, 4, clock=time.clock, sleep=time.sleep)
    for project in ("1", "2", "3"):
        for _ in range(2):
            client(f"phx_key_of_project_{project}", project, limits, time).members()
    assert time.sleeps == []
    assert limits.keys == 3


def test_the_keys_are_held_by_a_digest_never_as_text() -> None:
    limits = SharedLimits(480, 10)
    limits.for_key("phx_never_kept_as_text_0123")
    assert "phx_never_kept_as_text_0123" not in repr(vars(limits))


def test_one_key_has_at_most_its_concurrency_in_flight() -> None:
    limits = SharedLimits(0, 2)
    slots = limits.for_key("phx_k")
    assert slots.in_flight.acquire(blocking=False) and slots.in_flight.acquire(blocking=False)
    assert not limits.for_key("phx_k").in_flight.acquire(blocking=False)
    assert limits.for_key("phx_other").in_flight.acquire(blocking=False)
