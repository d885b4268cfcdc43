"""How a plan reads PostHog: nothing before the files are valid, large listings in larger
pages, each page kept only in its canonical shape, and the look-ups the listing leaves at
the same time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from alertsync.core.live import LivePage, joined
from alertsync.edges.posthog import listing
from alertsync.edges.posthog.client import PostHogClient
from alertsync.edges.posthog.settings import Connection, Tuning
from alertsync.emulator import Emulator
from alertsync.errors import MalformedAlert
from tests.builders import ALERTS, Runner, alert, seed_with, valid_body, write


def seeded(count: int) -> dict[str, Any]:
    return seed_with(alerts=[valid_body(name=f"live {i:04}") for i in range(count)])


def test_files_with_problems_send_nothing_and_win_over_a_listing_that_would_fail(
    tmp_path: Path,
) -> None:
    bad = write(tmp_path / "bad.yaml", {"alerts": [alert("A", enabled="yes")]})
    with Emulator(seed=seeded(250), latency_ms=400) as emu:
        run = Runner(emu)
        result = run("plan", str(bad))
        assert result.exit_code == 1
        assert f"{bad}:" in result.stderr and "nothing was changed" in result.stderr
        wrong_key = run("plan", str(bad), POSTHOG_PERSONAL_API_KEY="phx_wrong_key_0123456789")
        assert wrong_key.exit_code == 1
        assert f"{bad}:" in wrong_key.stderr and "API key" not in wrong_key.stderr
        assert emu.requests == []  # not even the listing


def test_a_listing_problem_is_reported_when_the_files_are_fine(tmp_path: Path) -> None:
    good = write(tmp_path / "good.yaml", {"alerts": [alert("A")]})
    with Emulator() as emu:
        result = Runner(emu)("plan", str(good), POSTHOG_PERSONAL_API_KEY="phx_wrong_0123456789")
        assert result.exit_code == 1 and "rejected the API key" in result.stderr


def test_a_large_listing_is_read_in_one_round_of_larger_pages() -> None:
    with Emulator(seed=seeded(1_250)) as emu:
        conn = Connection(emu.base_url, str(emu.project_id), emu.api_key)
        with PostHogClient(conn, Tuning(concurrency=10)) as client:
            pages = client.live_pages()
        pages_read = [r.query for r in emu.requests if r.path == ALERTS]
    assert sum(len(page.alerts) for page in pages) == 1_250
    assert pages_read[0] == {"limit": "100", "offset": "0"}
    rest = sorted(pages_read[1:], key=lambda q: int(q["offset"]))
    assert [q["limit"] for q in rest] == ["115"] * 10  # 1,150 alerts in 10 pages
    assert [int(q["offset"]) for q in rest] == list(range(100, 1_250, 115))


@pytest.mark.parametrize(
    ("count", "width", "size"),
    [(100, 10, 100), (300, 10, 100), (2_000, 10, 190), (10_000, 10, 250), (50_000, 10, 250)],
)
def test_the_page_size_after_the_first(count: int, width: int, size: int) -> None:
    first = listing.Page(count, [{"id": i} for i in range(min(count, 100))], count > 100)
    assert listing.rest_page_size(first, width) == size


def page_of(count: int, offset: int, limit: int, items: list[Any]) -> httpx.Response:
    results = items[offset : offset + limit]
    more = "more" if offset + limit < count else None
    return httpx.Response(200, json={"count": count, "next": more, "results": results})


def test_pages_are_checked_in_listing_order_whatever_order_they_arrive_in() -> None:
    """A malformed alert is refused with its place in the whole listing."""
    raw = [valid_body(id=f"a{i}", name=f"a{i}") for i in range(400)]
    raw[250] = {"name": "no id"}

    def answer(request: httpx.Request) -> httpx.Response:
        q = request.url.params
        return page_of(len(raw), int(q["offset"]), int(q["limit"]), raw)

    conn = Connection("https://posthog.test", "1", "phx_unit_test_key_0123456789")
    client = PostHogClient(conn, transport=httpx.MockTransport(answer))
    with client, pytest.raises(MalformedAlert, match="entry 251"):
        client.live_pages()


def test_a_page_of_another_shape_is_refused_after_the_listing_adds_up() -> None:
    pages: list[LivePage] = [LivePage(), LivePage()]
    pages[1].malformed = MalformedAlert(120, {"id": "x"}, "its config is not an object")
    with pytest.raises(MalformedAlert, match="alert 'x'"):
        joined(pages)
