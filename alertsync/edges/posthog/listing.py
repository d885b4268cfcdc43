"""Reading PostHog's paginated listings (DRF limit/offset), and refusing ones that do not add up.

Pages are requested by `limit` and `offset` on the configured host, never through the
`next` link (whose host PostHog chooses). For planning, a listing must be consistent: the
pages agree on `count`, they hold exactly that many items, and no id comes back twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from alertsync.edges.posthog.http import Call, Http
from alertsync.edges.posthog.retry import Budget
from alertsync.errors import ListingError, MalformedAlert, NetworkError

PAGE_SIZE = 100


@dataclass(frozen=True)
class Page:
    count: int
    results: list[dict[str, Any]]
    more: bool  # PostHog gave a `next` link


class Tally:
    """Items read so far across pages (read on several threads), told to `report`."""

    def __init__(self, report: Callable[[int, int], None] | None) -> None:
        self._report = report
        self._read = 0
        self._lock = threading.Lock()

    def add(self, page: Page) -> Page:
        if self._report is not None:
            with self._lock:
                self._read += len(page.results)
                self._report(self._read, max(page.count, self._read))
        return page


def page(
    http: Http,
    path: str,
    params: dict[str, str],
    action: str,
    offset: int,
    budget: Budget | None = None,
) -> Page:
    query = {**params, "limit": str(PAGE_SIZE), "offset": str(offset)}
    data = as_object(http.json(Call("GET", path, action, None, query, budget)))
    results = data.get("results")
    if not isinstance(results, list):
        raise NetworkError(f"{action}: PostHog sent a page without results")
    return Page(_count(data, action), results, bool(data.get("next")))


def pages(
    http: Http,
    path: str,
    params: dict[str, str],
    action: str,
    budget: Budget | None = None,
    first: Page | None = None,
) -> Iterator[Page]:
    """Every page, one after the other; `first` is the first page when it was already read."""
    current = first or page(http, path, params, action, 0, budget)
    offset = 0
    while True:
        yield current
        offset += len(current.results)
        if not current.more or not current.results:
            return
        current = page(http, path, params, action, offset, budget)


def items(
    http: Http, path: str, params: dict[str, str], action: str, budget: Budget | None = None
) -> Iterator[dict[str, Any]]:
    for each in pages(http, path, params, action, budget):
        yield from each.results


def consistent_listing(
    http: Http,
    path: str,
    action: str,
    on_page: Callable[[int, int], None] | None = None,
    budget: Budget | None = None,
) -> list[dict[str, Any]]:
    """Every item of a listing, refusing one that does not add up. The first page gives the
    count; the other pages are then read together (up to `Tuning.concurrency` at a time,
    each with its own retry budget)."""
    read_so_far = Tally(on_page)
    first = read_so_far.add(page(http, path, {}, action, 0, budget))
    offsets = range(len(first.results), first.count, PAGE_SIZE) if first.results else []
    width = http.tuning.concurrency
    if len(offsets) < 2 or width < 2:
        serial = pages(http, path, {}, action, budget, first)
        return _consistent(read_so_far.add(p) if p is not first else p for p in serial)

    def read(offset: int) -> Page:
        return read_so_far.add(page(http, path, {}, action, offset, None))

    with ThreadPoolExecutor(min(width, len(offsets))) as pool:
        rest = list(pool.map(read, offsets))
    if rest[-1].more:
        raise ListingError(f"PostHog has more alerts than the {first.count} it counted")
    return _consistent(iter([first, *rest]))


def as_object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise NetworkError("PostHog sent a response that is not a JSON object")
    return data


def _count(data: dict[str, Any], action: str) -> int:
    count = data.get("count", 0)
    if isinstance(count, bool) or not isinstance(count, int):
        raise NetworkError(f"{action}: PostHog sent a page whose count is not a number")
    return count


def _consistent(each: Iterator[Page]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    ids: set[Any] = set()
    counts: set[int] = set()
    for current in each:
        counts.add(current.count)
        for item in current.results:
            if not isinstance(item, dict) or item.get("id") is None:
                what = "it has no 'id'" if isinstance(item, dict) else "it is not an object"
                raise MalformedAlert(len(results), item, what)
            if item["id"] in ids:
                raise ListingError(f"alert {item['id']} came back twice")
            ids.add(item["id"])
            results.append(item)
    if len(counts) > 1 or len(results) != next(iter(counts), 0):
        raise ListingError(f"PostHog counted {sorted(counts)} alerts but sent {len(results)}")
    return results
