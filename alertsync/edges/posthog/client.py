"""The PostHog API client: the only module that talks HTTP (httpx).

Errors come back as the `alertsync.errors` tree with PostHog's own message. The API key is
sent only as a header to the configured host: redirects are never followed, TLS is always
verified, and the key appears in no error and no debug trace.

Reliability (the policies live in `retry` and `ratelimit`; this module wires them in):

* Every request is paced by a client-side rate limiter (PostHog's 480/minute by default).
* GET, PATCH and DELETE are retried after connection errors, timeouts, 429 and
  502/503/504, with exponential backoff and jitter, within one retry budget per request.
* A create (POST) is never re-sent blindly. It is retried directly only when it provably
  did not reach PostHog (the connection could not be opened, or a 429). When its outcome is
  unknown (a timeout, a dropped connection, a 5xx), the client re-lists the alerts and
  looks for the name: found, the create is done; not found, it is sent again (for
  transient failures, within the same budget). So a run never makes two alerts of one name.
* A DELETE retried after a lost response may find the alert gone: that is success.
* A listing whose pages do not add up is refused (`ListingError`), never used.
"""

from __future__ import annotations

import json
import random
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

from alertsync import __version__
from alertsync.apply import Written
from alertsync.cli.signals import Stop
from alertsync.edges.posthog.ratelimit import RateLimiter, insights_windows, posthog_windows
from alertsync.edges.posthog.retry import Budget, Retrier, Retryable, RetryPolicy, server_wait
from alertsync.edges.posthog.settings import Connection, Tuning
from alertsync.errors import (
    Abandoned,
    AlertsyncError,
    ApiError,
    ApiErrorBody,
    AuthenticationFailed,
    ListingError,
    NetworkError,
    PermissionDenied,
    RetriesExhausted,
)

__all__ = ["PAGE_SIZE", "ListingError", "PostHogClient", "Trace"]

PAGE_SIZE = 100
LIST_INSIGHTS_ABOVE = 50  # more short ids to look up than this: list the insights instead
TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_OUR_FAULT = (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.ProxyError)
REDACTED = "Bearer [redacted]"

Trace = Callable[[str], None]


@dataclass(frozen=True)
class Page:
    count: int
    results: list[dict[str, Any]]
    more: bool  # PostHog gave a `next` link


class _Tally:
    """Alerts read so far across pages (read on several threads), told to `report`."""

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


class _Ambiguous(Exception):  # a signal inside the client, never raised out of it
    """A create whose outcome is unknown: PostHog may or may not have made the alert."""

    def __init__(self, error: AlertsyncError, *, retryable: bool, wait: float | None = None):
        super().__init__(str(error))
        self.error = error
        self.retryable = retryable
        self.wait = wait


class PostHogClient:
    def __init__(
        self,
        conn: Connection,
        tuning: Tuning | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        trace: Trace | None = None,
        stop: Stop | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] | None = None,
        rng: random.Random | None = None,
        on_page: Callable[[int, int], None] | None = None,
    ) -> None:
        self.conn = conn
        self._on_page = on_page  # (alerts read so far, alerts counted): for a progress line
        self.tuning = tuning or Tuning()
        self._trace = trace
        self._cancelled: Callable[[], bool] = (lambda: stop.requested) if stop else (lambda: False)
        pause = sleep or (stop.sleep if stop else time.sleep)
        policy = RetryPolicy(self.tuning.max_retry_time, self.tuning.retry_base_delay)
        self._retrier = Retrier(
            policy,
            clock=clock,
            sleep=pause,
            rng=rng,
            cancelled=self._cancelled,
            on_retry=self._traced_retry if trace else None,
        )
        windows = posthog_windows(self.tuning.rate_limit)
        self._limiter = RateLimiter(windows, clock=clock, sleep=pause)
        insights = insights_windows(self.tuning.rate_limit)
        self._insights_limiter = RateLimiter(insights, clock=clock, sleep=pause)
        self._clock = clock
        self._http = httpx.Client(
            base_url=conn.host,
            headers={
                "Authorization": f"Bearer {conn.api_key}",
                "User-Agent": f"alertsync/{__version__}",
                "Accept": "application/json",
            },
            timeout=httpx.Timeout(self.tuning.timeout, connect=self.tuning.connect_timeout),
            transport=transport,
            follow_redirects=False,
            verify=True,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PostHogClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def _alerts(self) -> str:
        return f"/api/projects/{self.conn.project}/alerts/"

    # -- reads -------------------------------------------------------------------------

    def list_alerts(self, budget: Budget | None = None) -> list[dict[str, Any]]:
        """Every alert of the project, every page; refuses a listing that does not add up.

        The first page gives the count; the other pages are then read together (up to
        `Tuning.concurrency` at a time, each with its own retry budget)."""
        action = "listing alerts"
        read_so_far = _Tally(self._on_page)
        first = read_so_far.add(self._page(self._alerts, {}, action, 0, budget))
        offsets = range(len(first.results), first.count, PAGE_SIZE) if first.results else []
        if len(offsets) < 2 or self.tuning.concurrency < 2:
            pages = self._pages(self._alerts, {}, action, budget, first)
            return _consistent(read_so_far.add(p) if p is not first else p for p in pages)

        def read(offset: int) -> Page:
            return read_so_far.add(self._page(self._alerts, {}, action, offset, None))

        with ThreadPoolExecutor(min(self.tuning.concurrency, len(offsets))) as pool:
            rest = list(pool.map(read, offsets))
        if rest[-1].more:
            raise ListingError(f"PostHog has more alerts than the {first.count} it counted")
        return _consistent(iter([first, *rest]))

    def insights_by_short_id(self, short_ids: Iterable[str]) -> list[dict[str, Any]]:
        """InsightBasic objects for the short ids that exist in the project: one lookup per
        short id (`Tuning.concurrency` at a time), or, for many, one listing of them all."""
        path = f"/api/projects/{self.conn.project}/insights/"
        wanted = sorted(short_ids)
        if len(wanted) > LIST_INSIGHTS_ABOVE:
            keep = set(wanted)
            found = self._items(path, {"basic": "true"}, "listing insights")
            return [i for i in found if i.get("short_id") in keep]

        def look_up(short_id: str) -> list[dict[str, Any]]:
            params = {"short_id": short_id, "basic": "true"}
            action = f"looking up insight {short_id!r}"
            return [i for i in self._items(path, params, action) if i.get("short_id")]

        if len(wanted) < 2 or self.tuning.concurrency < 2:
            return [item for short_id in wanted for item in look_up(short_id)]
        with ThreadPoolExecutor(min(self.tuning.concurrency, len(wanted))) as pool:
            return [item for found in pool.map(look_up, wanted) for item in found]

    def members(self) -> list[dict[str, Any]]:
        path = "/api/organizations/@current/members/"
        return list(self._items(path, {}, "listing organization members"))

    # -- writes ------------------------------------------------------------------------

    def create_alert(self, body: dict[str, Any], name: str) -> Written:
        """POST, never blindly twice: after an unknown outcome, re-list and look first."""
        action = f"creating alert {name!r}"
        budget = self._retrier.budget()
        note = ""
        while True:
            try:
                created = _object(self._json("POST", self._alerts, action, body, budget=budget))
                return Written(str(created.get("id")), note)
            except _Ambiguous as lost:
                found = self._find_created(name, lost.error, budget)
                if found is not None:
                    return Written(found, "recovered after a lost response: PostHog had made it")
                missing = f"; a fresh listing shows no alert named {name!r}, so it was not created"
                if not lost.retryable:
                    raise NetworkError(f"{lost.error}{missing}") from None
                try:
                    self._retrier.pause(lost.error, lost.wait, budget)
                except RetriesExhausted as exc:
                    raise RetriesExhausted(exc.last, f"{exc.why}{missing}") from None
                except Abandoned as exc:
                    raise Abandoned(f"{exc}{missing}", sent=True) from None
                note = "sent again: a fresh listing showed the first attempt had not made it"

    def update_alert(self, alert_id: str, body: dict[str, Any], name: str) -> Written:
        path = f"{self._alerts}{alert_id}/"
        _object(self._json("PATCH", path, f"updating alert {name!r}", body))
        return Written(alert_id)

    def delete_alert(self, alert_id: str, name: str) -> Written:
        budget = self._retrier.budget()
        path = f"{self._alerts}{alert_id}/"
        try:
            self._send("DELETE", path, f"deleting alert {name!r}", None, budget=budget)
        except ApiError as exc:
            if exc.status == 404 and budget.attempts > 1:
                return Written(alert_id, "already gone when retried: an earlier attempt did it")
            raise
        return Written(alert_id)

    def _find_created(self, name: str, error: AlertsyncError, budget: Budget) -> str | None:
        """The id of a live alert named ``name`` after a create with an unknown outcome."""
        if self._cancelled():
            raise Abandoned(
                f"{error}; the run was interrupted before alertsync could check whether "
                "PostHog made the alert: run plan to see",
                sent=True,
            )
        self._note(f"{error}: outcome unknown; listing alerts to see whether it was made")
        self._retrier.settle(budget)
        streak = budget.failures  # the create's failures, not the listing's
        try:
            alerts = self._scan_alerts(budget)
        except AlertsyncError as exc:
            raise NetworkError(
                f"{error}; checking whether PostHog made the alert failed too ({exc}); "
                "run plan to see"
            ) from exc
        budget.failures = streak
        return next((str(a.get("id")) for a in alerts if a.get("name") == name), None)

    def _scan_alerts(self, budget: Budget) -> list[dict[str, Any]]:
        """Every alert, page after page, for a presence check while other creates land:
        newer alerts only push older ones to later pages, so an alert may be seen twice but
        never missed; duplicates and a growing count are fine here (not for planning)."""
        return list(self._items(self._alerts, {}, "checking the alerts", budget))

    # -- plumbing ----------------------------------------------------------------------

    def _items(
        self, path: str, params: dict[str, str], action: str, budget: Budget | None = None
    ) -> Iterator[dict[str, Any]]:
        for page in self._pages(path, params, action, budget):
            yield from page.results

    def _pages(
        self,
        path: str,
        params: dict[str, str],
        action: str,
        budget: Budget | None = None,
        first: Page | None = None,
    ) -> Iterator[Page]:
        """Every page, one after the other, by limit/offset (never the `next` URL's host);
        `first` is the first page when it was already read."""
        page = first or self._page(path, params, action, 0, budget)
        offset = 0
        while True:
            yield page
            offset += len(page.results)
            if not page.more or not page.results:
                return
            page = self._page(path, params, action, offset, budget)

    def _page(
        self, path: str, params: dict[str, str], action: str, offset: int, budget: Budget | None
    ) -> Page:
        query = {**params, "limit": str(PAGE_SIZE), "offset": str(offset)}
        page = _object(self._json("GET", path, action, None, query, budget))
        results = page.get("results")
        if not isinstance(results, list):
            raise NetworkError(f"{action}: PostHog sent a page without results")
        return Page(_count(page, action), results, bool(page.get("next")))

    def _json(
        self,
        method: str,
        path: str,
        action: str,
        body: dict[str, Any] | None,
        params: dict[str, str] | None = None,
        budget: Budget | None = None,
    ) -> Any:
        response = self._send(method, path, action, body, params, budget)
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise NetworkError(f"{action}: PostHog sent a response that is not JSON") from exc

    def _send(
        self,
        method: str,
        path: str,
        action: str,
        body: dict[str, Any] | None,
        params: dict[str, str] | None = None,
        budget: Budget | None = None,
    ) -> httpx.Response:
        budget = budget or self._retrier.budget()

        def attempt() -> httpx.Response:
            return self._attempt(method, path, action, body, params, budget)

        try:
            return self._retrier.call(attempt, budget)
        except Abandoned as exc:
            raise _with_prefix(exc, action) from None

    def _attempt(
        self,
        method: str,
        path: str,
        action: str,
        body: dict[str, Any] | None,
        params: dict[str, str] | None,
        budget: Budget,
    ) -> httpx.Response:
        self._pace(budget, path)
        request = self._http.build_request(method, path, json=body, params=params)
        self._trace_request(request, budget.attempts)
        started = self._clock()
        try:
            response = self._http.send(request)
        except httpx.TransportError as exc:
            self._note(f"  -> {type(exc).__name__} after {self._ms(started)}: {_reason(exc)}")
            raise self._transport_failure(method, exc, action) from exc
        self._note(f"  -> {response.status_code} {response.reason_phrase} in {self._ms(started)}")
        return self._check(method, response, action)

    def _pace(self, budget: Budget, path: str) -> None:
        limiter = self._insights_limiter if "/insights" in path else self._limiter
        waited = limiter.acquire(self._cancelled)
        if waited is None:
            raise Abandoned("not sent: the run was interrupted", sent=budget.attempts > 1)
        if waited > 0:
            limit = self.tuning.rate_limit
            self._note(f"rate limit: waited {waited:.1f} s for a slot (--rate-limit {limit})")

    def _transport_failure(self, method: str, exc: httpx.TransportError, action: str) -> Exception:
        error = transport_error(exc, action, self.conn.host)
        if isinstance(exc, _OUR_FAULT) or _tls_failure(exc) or _name_failure(exc):
            return error  # retrying cannot help
        if isinstance(exc, _NOT_SENT):
            return Retryable(error)  # the request never left: safe to send again, POST too
        if method == "POST":
            return _Ambiguous(error, retryable=True)
        return Retryable(error)

    def _check(self, method: str, response: httpx.Response, action: str) -> httpx.Response:
        if response.is_redirect:
            raise NetworkError(
                f"{action}: PostHog answered with a redirect ({response.status_code}); "
                "check --host / POSTHOG_HOST (alertsync does not follow redirects with your key)"
            )
        status = response.status_code
        if status < 400:
            return response
        error = api_error(response, action)
        if status in TRANSIENT_STATUSES:
            detail = error.body.detail if status == 429 else None
            wait = server_wait(response.headers.get("Retry-After"), detail, time.time())
            if method == "POST" and status != 429:  # a 429 is refused before any work
                raise _Ambiguous(error, retryable=True, wait=wait)
            raise Retryable(error, wait)
        if method == "POST" and status >= 500:
            raise _Ambiguous(error, retryable=False)
        raise error

    # -- debug trace -------------------------------------------------------------------

    def _note(self, line: str) -> None:
        if self._trace is not None:
            self._trace(line)

    def _ms(self, started: float) -> str:
        return f"{(self._clock() - started) * 1000:.0f} ms"

    def _trace_request(self, request: httpx.Request, attempt: int) -> None:
        if self._trace is None:
            return
        self._trace(f"{request.method} {request.url} (attempt {attempt})")
        headers = "; ".join(f"{k}: {_shown_header(k, v)}" for k, v in request.headers.items())
        self._trace(f"  headers: {headers}")
        if request.content:
            self._trace(f"  body: {_clip(request.content.decode('utf-8', 'replace'))}")

    def _traced_retry(self, error: AlertsyncError, attempt: int, delay: float, left: float) -> None:
        self._note(f"  {error}")
        self._note(f"  retrying in {delay:.2f} s (attempt {attempt}; {left:.1f} s of budget left)")


def _shown_header(name: str, value: str) -> str:
    return REDACTED if name.lower() in ("authorization", "proxy-authorization") else value


def _clip(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


def _with_prefix(exc: Abandoned, action: str) -> Abandoned:
    text = str(exc)
    return exc if text.startswith(action) else Abandoned(f"{action}: {text}", sent=exc.sent)


def _object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise NetworkError("PostHog sent a response that is not a JSON object")
    return data


def _count(page: dict[str, Any], action: str) -> int:
    count = page.get("count", 0)
    if isinstance(count, bool) or not isinstance(count, int):
        raise NetworkError(f"{action}: PostHog sent a page whose count is not a number")
    return count


def _reason(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.LocalProtocolError):  # its text quotes the request's headers
        return "the request could not be formed (a header or the URL is not valid)"
    text = str(exc) or type(exc).__name__
    return text if len(text) < 200 else text[:200] + "..."


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


_TLS_CLOSED = (ssl.SSLEOFError, ssl.SSLZeroReturnError, ssl.SSLSyscallError)


def _tls_failure(exc: BaseException) -> bool:
    """A certificate or handshake failure (not a connection closed mid-handshake)."""
    return any(isinstance(e, ssl.SSLError) and not isinstance(e, _TLS_CLOSED) for e in _causes(exc))


def _name_failure(exc: BaseException) -> bool:
    """The host name does not resolve (not a temporary failure): retrying will not help."""
    return any(isinstance(e, socket.gaierror) and e.errno != socket.EAI_AGAIN for e in _causes(exc))


def transport_error(exc: httpx.TransportError, action: str, host: str) -> NetworkError:
    if _tls_failure(exc):
        return NetworkError(
            f"{action}: TLS verification of PostHog at {host} failed ({_reason(exc)}); "
            "alertsync always verifies certificates"
        )
    if isinstance(exc, httpx.TimeoutException):
        kind = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting for an answer"
        return NetworkError(f"{action}: PostHog at {host} timed out ({kind})")
    if isinstance(exc, _NOT_SENT):
        return NetworkError(f"{action}: cannot reach PostHog at {host} ({_reason(exc)})")
    return NetworkError(
        f"{action}: the connection to PostHog at {host} broke before an answer came "
        f"({_reason(exc)})"
    )


def error_body(response: httpx.Response) -> ApiErrorBody:
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        return ApiErrorBody("server_error", "unknown", response.reason_phrase or "error", None)
    attr = data.get("attr")
    return ApiErrorBody(
        str(data.get("type", "")),
        str(data.get("code", "")),
        str(data.get("detail", response.reason_phrase)),
        str(attr) if attr is not None else None,
    )


def api_error(response: httpx.Response, action: str) -> ApiError:
    body = error_body(response)
    if response.status_code == 401:
        return AuthenticationFailed(401, body, action)
    if response.status_code == 403:
        return PermissionDenied(403, body, action)
    return ApiError(response.status_code, body, action)


def _consistent(pages: Iterator[Page]) -> list[dict[str, Any]]:
    """All items of a listing, refusing one whose pages do not add up to its count."""
    results: list[dict[str, Any]] = []
    ids: set[Any] = set()
    counts: set[int] = set()
    for page in pages:
        counts.add(page.count)
        for item in page.results:
            if not isinstance(item, dict) or item.get("id") is None:
                raise ListingError("a page held an entry without an id")
            if item["id"] in ids:
                raise ListingError(f"alert {item['id']} came back twice")
            ids.add(item["id"])
            results.append(item)
    if len(counts) > 1 or len(results) != next(iter(counts), 0):
        raise ListingError(f"PostHog counted {sorted(counts)} alerts but sent {len(results)}")
    return results
