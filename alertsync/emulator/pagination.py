"""DRF ``LimitOffsetPagination`` as PostHog configures it (default limit 100, no maximum).

* ``limit``: a positive integer, else 100. ``offset``: a non-negative integer, else 0.
* ``next`` / ``previous`` are absolute URLs built from the request URL with ``limit`` and
  ``offset`` replaced; other parameters are kept and, as in DRF, sorted by name.
  ``previous`` drops ``offset`` when it would be 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class Window:
    limit: int
    offset: int


def window_from(query: Mapping[str, str]) -> Window:
    limit = _positive_int(query.get("limit"), strict=True)
    offset = _positive_int(query.get("offset"), strict=False)
    return Window(limit=DEFAULT_LIMIT if limit is None else limit, offset=offset or 0)


def _positive_int(text: str | None, *, strict: bool) -> int | None:
    if text is None:
        return None
    try:
        value = int(text)
    except ValueError:
        return None
    return None if value < 0 or (value == 0 and strict) else value


def paginated(count: int, results: list[Any], window: Window, url: str) -> dict[str, Any]:
    """The ``{count, next, previous, results}`` body for one page of ``count`` items."""
    return {
        "count": count,
        "next": _next_link(count, window, url),
        "previous": _previous_link(window, url),
        "results": results,
    }


def _next_link(count: int, window: Window, url: str) -> str | None:
    if window.offset + window.limit >= count:
        return None
    url = replace_query_param(url, "limit", str(window.limit))
    return replace_query_param(url, "offset", str(window.offset + window.limit))


def _previous_link(window: Window, url: str) -> str | None:
    if window.offset <= 0:
        return None
    url = replace_query_param(url, "limit", str(window.limit))
    if window.offset - window.limit <= 0:
        return remove_query_param(url, "offset")
    return replace_query_param(url, "offset", str(window.offset - window.limit))


def replace_query_param(url: str, key: str, value: str) -> str:
    """DRF's helper of the same name: set ``key``, re-encode the query sorted by name."""
    scheme, netloc, path, query, fragment = urlsplit(url)
    params = parse_qs(query, keep_blank_values=True)
    params[key] = [value]
    return urlunsplit(
        (scheme, netloc, path, urlencode(sorted(params.items()), doseq=True), fragment)
    )


def remove_query_param(url: str, key: str) -> str:
    scheme, netloc, path, query, fragment = urlsplit(url)
    params = parse_qs(query, keep_blank_values=True)
    params.pop(key, None)
    return urlunsplit(
        (scheme, netloc, path, urlencode(sorted(params.items()), doseq=True), fragment)
    )
