"""Reading PostHog's paginated listings (DRF limit/offset), and refusing ones that do not add up.

Pages are requested by `limit` and `offset` on the configured host, never through the
`next` link (whose host PostHog chooses). For planning, a listing must be consistent: the
pages agree on `count`, they hold exactly that many items, and no id comes back twice.

The alerts listing for a plan reads its first page at PostHog's default size, then the rest
at once, in pages large enough for one round of `Tuning.concurrency` requests (PostHog's
alert listing sets no maximum `limit`), but at most `MAX_PAGE_SIZE`: each page is turned
into what the caller keeps (`convert`) as soon as it arrives, and the raw pages in flight
are all that a listing holds of PostHog's answer at any time. Ten pages of 250 alerts in
flight are about 20 MB whatever the project's size (ten of 1,000 held 80 MB at 10,000
alerts); 50,000 alerts are 200 requests rather than 500, within PostHog's 480 a minute.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from alertsync.edges.posthog.http import Call, Http
from alertsync.edges.posthog.retry import Budget
from alertsync.errors import ListingError, MalformedAlert, NetworkError

T = TypeVar("T")

PAGE_SIZE = 100  # PostHog's default `limit`: every listing's first page
MAX_PAGE_SIZE = 250  # the largest page asked for after the first (PostHog sets no maximum)


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
    limit: int = PAGE_SIZE,
) -> Page:
    query = {**params, "limit": str(limit), "offset": str(offset)}
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
    """Every item of a listing, refusing one that does not add up."""
    found = consistent_pages(http, path, action, _as_is, on_page, budget)
    return [item for each in found for item in each]


def consistent_pages(
    http: Http,
    path: str,
    action: str,
    convert: Callable[[list[dict[str, Any]], int], T],
    on_page: Callable[[int, int], None] | None = None,
    budget: Budget | None = None,
) -> list[T]:
    """Every page of a listing, each turned by `convert(items, offset)` as soon as it is
    read, in listing order; refuses a listing that does not add up. The first page gives
    the count; the other pages are then read together (up to `Tuning.concurrency` at a
    time, each with its own retry budget)."""
    read_so_far = Tally(on_page)
    first = read_so_far.add(page(http, path, {}, action, 0, budget))
    width = http.tuning.concurrency
    limit = rest_page_size(first, width)
    offsets = range(len(first.results), first.count, limit) if first.results else []
    if len(offsets) < 2 or width < 2:
        return _consistent(_serial(http, path, action, convert, read_so_far, budget, first))

    def read(offset: int) -> _Read[T]:
        found = read_so_far.add(page(http, path, {}, action, offset, None, limit))
        return _read(found, offset, convert)

    head = _read(first, 0, convert)
    with ThreadPoolExecutor(min(width, len(offsets))) as pool:
        rest = list(pool.map(read, offsets))
    if rest[-1].more:
        raise ListingError(f"PostHog has more alerts than the {first.count} it counted")
    return _consistent(iter([head, *rest]))


def _serial(
    http: Http,
    path: str,
    action: str,
    convert: Callable[[list[dict[str, Any]], int], T],
    read_so_far: Tally,
    budget: Budget | None,
    first: Page,
) -> Iterator[_Read[T]]:
    """Page after page (each only once the one before it passed its checks)."""
    offset = 0
    for each in pages(http, path, {}, action, budget, first):
        yield _read(read_so_far.add(each) if each is not first else each, offset, convert)
        offset += len(each.results)


def rest_page_size(first: Page, width: int) -> int:
    """The size of the pages after the first: large enough for the rest to come in one
    round of `width` requests, never below PostHog's default, at most `MAX_PAGE_SIZE`."""
    rest = first.count - len(first.results)
    return max(PAGE_SIZE, min(MAX_PAGE_SIZE, -(-rest // max(width, 1))))


def _as_is(items: list[dict[str, Any]], offset: int) -> list[dict[str, Any]]:
    return items


def as_object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise NetworkError("PostHog sent a response that is not a JSON object")
    return data


def _count(data: dict[str, Any], action: str) -> int:
    count = data.get("count", 0)
    if isinstance(count, bool) or not isinstance(count, int):
        raise NetworkError(f"{action}: PostHog sent a page whose count is not a number")
    return count


class _Read(Generic[T]):
    """One page, checked item by item and converted; its raw items are not kept."""

    def __init__(self, page: Page, ids: list[Any], malformed: tuple[int, str] | None) -> None:
        self.count = page.count
        self.size = len(page.results)
        self.more = page.more
        self.ids = ids  # the items' ids, up to the first malformed item
        self.malformed = malformed  # (its index on the page, what is wrong with it)
        self.converted: T | None = None  # not converted when an item is malformed


def _read(page: Page, offset: int, convert: Callable[[list[dict[str, Any]], int], T]) -> _Read[T]:
    ids: list[Any] = []
    for index, item in enumerate(page.results):
        if not isinstance(item, dict) or item.get("id") is None:
            what = "it has no 'id'" if isinstance(item, dict) else "it is not an object"
            return _Read(page, ids, (index, what))
        ids.append(item["id"])
    read: _Read[T] = _Read(page, ids, None)
    read.converted = convert(page.results, offset)
    return read


def _consistent(each: Iterator[_Read[T]]) -> list[T]:
    """The pages' converted items in order, once every item has an id, no id comes back
    twice, the pages agree on the count and hold exactly that many items."""
    converted: list[T] = []
    ids: set[Any] = set()
    counts: set[int] = set()
    read = 0
    for current in each:
        counts.add(current.count)
        for item_id in current.ids:
            if item_id in ids:
                raise ListingError(f"alert {item_id} came back twice")
            ids.add(item_id)
        if current.malformed is not None:
            index, what = current.malformed
            raise MalformedAlert(read + index, None, what)
        read += current.size
        assert current.converted is not None
        converted.append(current.converted)
    if len(counts) > 1 or read != next(iter(counts), 0):
        raise ListingError(f"PostHog counted {sorted(counts)} alerts but sent {read}")
    return converted
