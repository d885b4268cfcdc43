"""LimitOffset pagination: pages, absolute next/previous links, edge cases, ordering."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from alertsync.emulator import Emulator, default_seed
from tests.builders import ALERTS, client_for, valid_body


def _seeded(count: int, **overrides: Any) -> dict[str, Any]:
    seed = default_seed()
    seed["alerts"] = [valid_body(name=f"alert-{i:05d}", **overrides) for i in range(count)]
    return seed


@pytest.fixture(scope="module")
def many() -> Iterator[Emulator]:
    """250 alerts created in order alert-00000 … alert-00249 (alert-00249 is the newest)."""
    seed = _seeded(250)
    seed["alerts"][10]["insight"] = 102  # one alert on another insight, for the filter tests
    with Emulator(seed=seed) as emu:
        yield emu


@pytest.fixture
def http(many: Emulator) -> Iterator[httpx.Client]:
    with client_for(many) as client:
        yield client


def _names(page: dict[str, Any]) -> list[str]:
    return [alert["name"] for alert in page["results"]]


def test_first_page_has_100_newest_first_and_an_absolute_next_link(
    many: Emulator, http: httpx.Client
) -> None:
    page = http.get(ALERTS).json()

    assert list(page) == ["count", "next", "previous", "results"]
    assert page["count"] == 250
    assert _names(page) == [f"alert-{i:05d}" for i in range(249, 149, -1)]
    assert page["next"] == f"{many.base_url}{ALERTS}?limit=100&offset=100"
    assert page["previous"] is None


def test_following_next_links_visits_every_alert_once(many: Emulator, http: httpx.Client) -> None:
    pages: list[dict[str, Any]] = []
    url: str | None = ALERTS
    while url is not None:
        pages.append(http.get(url).json())
        url = pages[-1]["next"]

    assert [len(page["results"]) for page in pages] == [100, 100, 50]
    names = [name for page in pages for name in _names(page)]
    assert names == [f"alert-{i:05d}" for i in range(249, -1, -1)]
    assert pages[1]["previous"] == f"{many.base_url}{ALERTS}?limit=100"
    assert pages[2]["previous"] == f"{many.base_url}{ALERTS}?limit=100&offset=100"
    assert pages[2]["next"] is None


def test_created_at_is_strictly_decreasing_across_pages(http: httpx.Client) -> None:
    results = http.get(ALERTS, params={"limit": 1000}).json()["results"]

    created = [alert["created_at"] for alert in results]
    assert len(set(created)) == 250
    assert created == sorted(created, reverse=True)


@pytest.mark.parametrize(
    ("query", "expected_limit", "expected_offset"),
    [
        ("limit=0", 100, 0),
        ("limit=-5", 100, 0),
        ("limit=abc", 100, 0),
        ("limit=2.5", 100, 0),
        ("offset=abc", 100, 0),
        ("offset=-3", 100, 0),
        ("limit=7&offset=3", 7, 3),
    ],
)
def test_invalid_limit_and_offset_fall_back_to_defaults(
    http: httpx.Client, query: str, expected_limit: int, expected_offset: int
) -> None:
    page = http.get(f"{ALERTS}?{query}").json()

    first = 249 - expected_offset
    assert _names(page) == [f"alert-{i:05d}" for i in range(first, first - expected_limit, -1)]


def test_there_is_no_maximum_limit(http: httpx.Client) -> None:
    page = http.get(ALERTS, params={"limit": 1000}).json()

    assert len(page["results"]) == 250
    assert page["next"] is None


def test_offset_past_the_end_gives_an_empty_page_with_a_previous_link(
    many: Emulator, http: httpx.Client
) -> None:
    at_end = http.get(ALERTS, params={"offset": 250}).json()
    beyond = http.get(ALERTS, params={"offset": 300}).json()

    assert (at_end["results"], at_end["next"]) == ([], None)
    assert at_end["previous"] == f"{many.base_url}{ALERTS}?limit=100&offset=150"
    assert beyond["previous"] == f"{many.base_url}{ALERTS}?limit=100&offset=200"
    assert beyond["count"] == 250


def test_previous_drops_offset_when_it_would_be_zero(many: Emulator, http: httpx.Client) -> None:
    page = http.get(ALERTS, params={"limit": 50, "offset": 30}).json()

    assert page["previous"] == f"{many.base_url}{ALERTS}?limit=50"
    assert page["next"] == f"{many.base_url}{ALERTS}?limit=50&offset=80"


def test_links_keep_other_parameters_sorted_by_name(many: Emulator, http: httpx.Client) -> None:
    page = http.get("/api/environments/@current/alerts?limit=1&insight=101").json()

    base = f"{many.base_url}/api/environments/@current/alerts"
    assert page["count"] == 249
    assert page["next"] == f"{base}?insight=101&limit=1&offset=1"


def test_links_use_the_host_header(http: httpx.Client) -> None:
    page = http.get(ALERTS, headers={"Host": "posthog.example:8000"}).json()

    assert page["next"] == f"http://posthog.example:8000{ALERTS}?limit=100&offset=100"


@pytest.mark.parametrize("param", ["insight", "insight_id"])
def test_insight_filter(http: httpx.Client, param: str) -> None:
    on_102 = http.get(ALERTS, params={param: 102}).json()
    on_103 = http.get(ALERTS, params={param: 103}).json()

    assert (on_102["count"], _names(on_102)) == (1, ["alert-00010"])
    assert (on_103["count"], on_103["results"], on_103["next"]) == (0, [], None)


def test_non_numeric_insight_filter_fails_like_the_orm(http: httpx.Client) -> None:
    response = http.get(ALERTS, params={"insight": "abc"})

    assert response.status_code == 500
    assert response.json()["type"] == "server_error"


def test_ten_thousand_alerts_page_from_the_end() -> None:
    with Emulator(seed=_seeded(10_000)) as emu, client_for(emu) as client:
        last = client.get(ALERTS, params={"offset": 9_950}).json()
        first = client.get(ALERTS, params={"limit": 1}).json()

    assert last["count"] == 10_000
    assert _names(last) == [f"alert-{i:05d}" for i in range(49, -1, -1)]
    assert _names(first) == ["alert-09999"]
