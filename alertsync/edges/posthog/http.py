"""Sending one request to PostHog: pacing, retries, status → error, and the debug trace.

The only module that holds an httpx client. The API key travels only as a header to the
configured host: redirects are never followed, TLS is always verified, and the key appears
in no error and no trace line.

* Every request is paced by a client-side rate limiter (PostHog's 480/minute by default;
  the insights endpoints have their own, lower limits).
* GET, PATCH and DELETE are retried after connection errors, timeouts, 429 and
  502/503/504, with exponential backoff and jitter, within one retry budget per request.
* A POST whose outcome is unknown (a timeout, a dropped connection, a 5xx) is not retried
  here: it raises :class:`Ambiguous`, and the caller decides (see ``client.create_alert``).
"""

from __future__ import annotations

import json
import random
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

import httpx

from alertsync import __version__
from alertsync.edges.posthog.ratelimit import (
    RateLimiter,
    SharedLimits,
    insights_windows,
    posthog_windows,
)
from alertsync.edges.posthog.retry import Budget, Retrier, Retryable, RetryPolicy, server_wait
from alertsync.edges.posthog.settings import KEY_ENV, Connection, Tuning
from alertsync.edges.posthog.transport import deadline, make_transport
from alertsync.errors import (
    Abandoned,
    AlertsyncError,
    ApiError,
    ApiErrorBody,
    AuthenticationFailed,
    NetworkError,
    PermissionDenied,
)
from alertsync.model import StopSignal

TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_OUR_FAULT = (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.ProxyError)
REDACTED = "Bearer [redacted]"

Trace = Callable[[str], None]


@dataclass
class Call:
    """One request as alertsync means it: what it is for (`action`, for messages) and the
    retry budget its attempts share."""

    method: str
    path: str
    action: str
    body: dict[str, Any] | None = None
    params: dict[str, str] | None = None
    budget: Budget | None = None


class Ambiguous(Exception):  # a signal to the caller, never raised out of the client
    """A create whose outcome is unknown: PostHog may or may not have made the alert."""

    def __init__(self, error: AlertsyncError, *, retryable: bool, wait: float | None = None):
        super().__init__(str(error))
        self.error = error
        self.retryable = retryable
        self.wait = wait


class Http:
    """Paced, retried, traced requests to one PostHog host with one key."""

    def __init__(
        self,
        conn: Connection,
        tuning: Tuning,
        *,
        transport: httpx.BaseTransport | None = None,
        env: Mapping[str, str] | None = None,
        trace: Trace | None = None,
        stop: StopSignal | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] | None = None,
        rng: random.Random | None = None,
        on_wait: Callable[[float], None] | None = None,
        limits: SharedLimits | None = None,
    ) -> None:
        self.conn = conn
        self.tuning = tuning
        self._trace = trace
        self._secrets: set[str] = set()
        self._halted = False
        requested: Callable[[], bool] = (lambda: stop.requested) if stop else (lambda: False)
        self.cancelled: Callable[[], bool] = lambda: self._halted or requested()
        pause = sleep or (stop.sleep if stop else time.sleep)
        policy = RetryPolicy(tuning.max_retry_time, tuning.retry_base_delay)
        self.retrier = Retrier(
            policy,
            clock=clock,
            sleep=pause,
            rng=rng,
            cancelled=self.cancelled,
            on_retry=self._traced_retry if trace else None,
        )
        self._in_flight: threading.BoundedSemaphore | None = None
        if limits is not None:  # the run's limits for this key, shared with other clients
            keyed = limits.for_key(conn.api_key)
            self._limiter, self._insights_limiter = keyed.limiter, keyed.insights
            self._in_flight = keyed.in_flight
        else:
            self._limiter = RateLimiter(
                posthog_windows(tuning.rate_limit), clock=clock, sleep=pause, on_wait=on_wait
            )
            self._insights_limiter = RateLimiter(
                insights_windows(tuning.rate_limit), clock=clock, sleep=pause, on_wait=on_wait
            )
        self._clock = clock
        self._client = httpx.Client(
            base_url=conn.host,
            headers={
                "Authorization": f"Bearer {conn.api_key}",
                "User-Agent": f"alertsync/{__version__}",
                "Accept": "application/json",
            },
            timeout=httpx.Timeout(tuning.timeout, connect=tuning.connect_timeout),
            transport=transport
            or make_transport(conn.host, env or {}, tuning.concurrency, deferred=True),
            follow_redirects=False,
            trust_env=False,  # proxies and the trust store are the transport's business
        )

    def close(self) -> None:
        self._client.close()

    def halt(self) -> None:
        """Abandon every request not yet sent (see `PostHogClient.halt`)."""
        self._halted = True

    def json(self, call: Call) -> Any:
        response = self.send(call)
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise NetworkError(f"{call.action}: PostHog sent a response that is not JSON") from exc
        finally:
            # httpx's response and its stream refer to each other, so only the cyclic GC
            # frees a response, and with it the answer's bytes: a plan turns the GC off
            # while it reads. Once decoded, the answer is not needed: free it now.
            response.stream = httpx.ByteStream(b"")

    def send(self, call: Call) -> httpx.Response:
        """The response, after retries within the call's budget; errors as the tree."""
        budget = call.budget = call.budget or self.retrier.budget()
        try:
            return self.retrier.call(lambda: self._attempt(call, budget), budget)
        except Abandoned as exc:
            raise _with_prefix(exc, call.action) from None

    def _attempt(self, call: Call, budget: Budget) -> httpx.Response:
        self._pace(budget, call.path)
        request = self._client.build_request(
            call.method, call.path, json=call.body, params=call.params
        )
        self._trace_request(request, budget.attempts)
        started = self._clock()
        try:
            with self._slot(), deadline(self.tuning.timeout):  # every byte of the answer
                response = self._client.send(request)
        except httpx.TransportError as exc:
            self.note(f"  -> {type(exc).__name__} after {self._ms(started)}: {_reason(exc)}")
            raise self._transport_failure(call, exc) from exc
        self.note(f"  -> {response.status_code} {response.reason_phrase} in {self._ms(started)}")
        return self._check(call, response)

    def _slot(self) -> AbstractContextManager[object]:
        """While a request is in flight: one of its key's slots, when the key is shared."""
        return self._in_flight if self._in_flight is not None else nullcontext()

    def _pace(self, budget: Budget, path: str) -> None:
        limiter = self._insights_limiter if "/insights" in path else self._limiter
        waited = limiter.acquire(self.cancelled)
        if waited is None:
            raise Abandoned("not sent: the run was interrupted", sent=budget.attempts > 1)
        if waited > 0:
            limit = self.tuning.rate_limit
            self.note(f"rate limit: waited {waited:.1f} s for a slot (--rate-limit {limit})")

    def _transport_failure(self, call: Call, exc: httpx.TransportError) -> Exception:
        error = transport_error(exc, call.action, self.conn.host)
        if isinstance(exc, _OUR_FAULT) or _tls_failure(exc) or _name_failure(exc):
            return error  # retrying cannot help
        if isinstance(exc, _NOT_SENT):
            return Retryable(error)  # the request never left: safe to send again, POST too
        if call.method == "POST":
            return Ambiguous(error, retryable=True)
        return Retryable(error)

    def _check(self, call: Call, response: httpx.Response) -> httpx.Response:
        if response.is_redirect:
            raise NetworkError(
                f"{call.action}: PostHog answered with a redirect ({response.status_code}); "
                "check --host / POSTHOG_HOST (alertsync does not follow redirects with your key)"
            )
        status = response.status_code
        if status < 400:
            return response
        error = api_error(response, call.action, self.redact, self.conn.key_env)
        if status in TRANSIENT_STATUSES:
            detail = error.body.detail if status == 429 else None
            wait = server_wait(response.headers.get("Retry-After"), detail, time.time())
            if call.method == "POST" and status != 429:  # a 429 is refused before any work
                raise Ambiguous(error, retryable=True, wait=wait)
            raise Retryable(error, wait)
        if call.method == "POST" and status >= 500:
            raise Ambiguous(error, retryable=False)
        raise error

    # -- debug trace -------------------------------------------------------------------

    def keep_secret(self, value: str) -> None:
        """A value (a webhook URL) that no trace line or error message may show."""
        if len(value) >= 8:  # as written, and as JSON bodies and answers may encode it
            forms = {json.dumps(value, ensure_ascii=a)[1:-1] for a in (True, False)}
            self._secrets.update({value, *forms})

    def redact(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, "[redacted URL]")
        return text

    def note(self, line: str) -> None:
        if self._trace is not None:
            self._trace(self.redact(line))

    def _ms(self, started: float) -> str:
        return f"{(self._clock() - started) * 1000:.0f} ms"

    def _trace_request(self, request: httpx.Request, attempt: int) -> None:
        if self._trace is None:
            return
        self.note(f"{request.method} {request.url} (attempt {attempt})")
        headers = "; ".join(f"{k}: {_shown_header(k, v)}" for k, v in request.headers.items())
        self.note(f"  headers: {headers}")
        if request.content:
            self.note(f"  body: {_clip(self.redact(_shown_body(request)))}")

    def _traced_retry(self, error: AlertsyncError, attempt: int, delay: float, left: float) -> None:
        self.note(f"  {error}")
        self.note(f"  retrying in {delay:.2f} s (attempt {attempt}; {left:.1f} s of budget left)")


def _shown_body(request: httpx.Request) -> str:
    """A request body as the trace shows it. A destination's inputs (URLs, and headers or
    bodies that may carry tokens) are never shown, only which inputs were sent."""
    text = request.content.decode("utf-8", "replace")
    if "/hog_functions" not in request.url.path:
        return text
    try:
        body = json.loads(text)
    except json.JSONDecodeError:
        return "(not shown: a destination's settings)"
    if isinstance(body, dict) and isinstance(body.get("inputs"), dict):
        body["inputs"] = {key: "(not shown)" for key in body["inputs"]}
    return json.dumps(body, ensure_ascii=False)


def _shown_header(name: str, value: str) -> str:
    return REDACTED if name.lower() in ("authorization", "proxy-authorization") else value


def _clip(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


def _with_prefix(exc: Abandoned, action: str) -> Abandoned:
    text = str(exc)
    return exc if text.startswith(action) else Abandoned(f"{action}: {text}", sent=exc.sent)


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


def error_body(response: httpx.Response, redact: Callable[[str], str] = str) -> ApiErrorBody:
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
        redact(str(data.get("detail", response.reason_phrase))),
        str(attr) if attr is not None else None,
    )


def api_error(
    response: httpx.Response,
    action: str,
    redact: Callable[[str], str] = str,
    key_env: str = KEY_ENV,
) -> ApiError:
    body = error_body(response, redact)
    if response.status_code == 401:
        return AuthenticationFailed(401, body, action, key_env)
    if response.status_code == 403:
        return PermissionDenied(403, body, action)
    return ApiError(response.status_code, body, action)
