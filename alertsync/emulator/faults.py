"""Fault injection: the one interception point, consulted around every request, and
:class:`FaultPlan`, a seeded policy that makes the emulator misbehave like a real network.

``before`` runs before the request is dispatched: returning a response answers in its
place (a 5xx, a 429 burst) and the API never sees the request; it may also sleep (latency).
``after`` sees the request and the response the API produced (its effects are committed):
it may pass the response on, replace it (a 5xx from a proxy, an inconsistent page), return
:data:`DROP` to close the connection without answering (the client cannot tell whether the
write happened), or :class:`CutBody` to send a truncated body.

The default, :class:`NoFaults`, changes nothing. :class:`FaultPlan` draws every decision
from one ``random.Random(seed)``, so the same seed and the same sequence of requests give
the same faults. Configure it with a :class:`FaultSpec` (from Python, a JSON/YAML fault
file via :meth:`FaultSpec.from_mapping`, or the ``alertsync emulator`` flags).
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Final, Protocol

from alertsync.emulator.datafile import read_data_file
from alertsync.emulator.wire import Request, Response, json_response


class DropConnection:
    """Marker: close the connection without writing a response."""

    def __repr__(self) -> str:
        return "DROP"


DROP: Final = DropConnection()


@dataclass(frozen=True)
class CutBody:
    """Send ``response``'s status and headers with its full Content-Length, then only the
    first ``keep`` bytes of the body, then close: a page truncated on the wire."""

    response: Response
    keep: int


Outcome = Response | DropConnection | CutBody


class FaultPolicy(Protocol):
    def before(self, request: Request) -> Response | None:
        """A response to send instead of dispatching ``request``, or ``None`` to proceed."""
        ...

    def after(self, request: Request, response: Response) -> Outcome:
        """What to send for ``request`` once the API produced ``response``."""
        ...


class NoFaults:
    """The default policy: every request is dispatched and answered normally."""

    def before(self, request: Request) -> Response | None:
        return None

    def after(self, request: Request, response: Response) -> Outcome:
        return response


# -- the seeded fault plan -----------------------------------------------------------------

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
PAGE_FAULTS = ("truncate", "count", "duplicate", "cut")
SERVER_STATUSES = (500, 502, 503, 504)
RateTable = Mapping[str, float]  # method (or "*") -> probability


class FaultConfigError(ValueError):
    """A fault file or flag is malformed; the message says which entry."""


@dataclass(frozen=True)
class FaultSpec:
    """What can go wrong, and how often. Rates are probabilities per request (0..1).

    * ``fail_rate``: a 5xx instead of dispatching (the API never sees the request).
    * ``fail_after_commit``: the API handles the request (a write is committed), then a 5xx
      is sent instead of its response, as a proxy in front of PostHog may do.
    * ``drop_after_commit``: the API handles the request, then the connection is closed
      without an answer (the response is lost).
    * ``throttle_rate``: a request starts a burst of ``burst_length`` 429s with PostHog's
      body, ``Request was throttled. Expected available in {throttle_wait} seconds.``
    * ``jitter_ms``: a random delay of up to this many milliseconds before each answer.
    * ``page_fault_rate``: an alerts listing page comes back inconsistent (an item
      missing, a wrong ``count``, a duplicate id) or cut short on the wire.
    * ``retry_after``: the ``Retry-After`` seconds sent with injected 503s.
    """

    seed: int = 0
    fail_rate: RateTable = field(default_factory=dict)
    fail_after_commit: RateTable = field(default_factory=dict)
    drop_after_commit: RateTable = field(default_factory=dict)
    throttle_rate: float = 0.0
    burst_length: int = 3
    throttle_wait: int = 1
    jitter_ms: int = 0
    page_fault_rate: float = 0.0
    retry_after: int = 1
    statuses: tuple[int, ...] = SERVER_STATUSES

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> FaultSpec:
        """A spec from a fault file's mapping; unknown keys and bad values are refused."""
        if not isinstance(data, Mapping):
            raise FaultConfigError("a fault file holds a mapping such as {seed: 1, ...}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise FaultConfigError(f"unknown fault setting(s) {unknown}; known: {sorted(known)}")
        values: dict[str, Any] = {}
        for name, value in data.items():
            values[name] = _checked(name, value)
        return cls(**values)

    def updated(self, **changes: Any) -> FaultSpec:
        """A copy with ``changes`` (``None`` values and empty tables are ignored)."""
        given = {k: _checked(k, v) for k, v in changes.items() if v not in (None, {}, ())}
        return replace(self, **given)

    def describe(self) -> str:
        parts = [f"seed {self.seed}"]
        for name in ("fail_rate", "fail_after_commit", "drop_after_commit"):
            table: RateTable = getattr(self, name)
            if any(table.values()):
                rates = ", ".join(f"{m} {r:.0%}" for m, r in sorted(table.items()))
                parts.append(f"{name.replace('_', ' ')}: {rates}")
        if self.throttle_rate:
            parts.append(
                f"429 bursts of {self.burst_length}: {self.throttle_rate:.0%} "
                f"(wait {self.throttle_wait} s)"
            )
        if self.jitter_ms:
            parts.append(f"latency up to {self.jitter_ms} ms")
        if self.page_fault_rate:
            parts.append(f"bad pages: {self.page_fault_rate:.0%}")
        return "; ".join(parts)


def load_fault_file(path: Path) -> FaultSpec:
    """A :class:`FaultSpec` from a JSON (``.json``) or YAML fault file."""
    data = read_data_file(path, "fault file", FaultConfigError)
    try:
        return FaultSpec.from_mapping(data)
    except FaultConfigError as exc:
        raise FaultConfigError(f"{path}: {exc}") from None


def rate_for(table: RateTable, method: str) -> float:
    return float(table.get(method, table.get("*", 0.0)))


def parse_method_rates(items: tuple[str, ...] | list[str]) -> dict[str, float]:
    """``["POST=0.2", "*=0.05"]`` -> ``{"POST": 0.2, "*": 0.05}``."""
    table: dict[str, float] = {}
    for item in items:
        method, sep, rate = item.partition("=")
        if not sep:
            raise FaultConfigError(f"{item!r} is not METHOD=RATE (e.g. POST=0.2)")
        table[method.strip().upper()] = _rate(f"{method} rate", rate.strip())
    return _checked_table("rates", table)


def _checked(name: str, value: Any) -> Any:
    if name in ("fail_rate", "fail_after_commit", "drop_after_commit"):
        if not isinstance(value, Mapping):
            raise FaultConfigError(f"{name} must map methods to rates, e.g. {{POST: 0.2}}")
        table = {str(k).upper(): _rate(f"{name}.{k}", v) for k, v in value.items()}
        return _checked_table(name, table)
    if name in ("throttle_rate", "page_fault_rate"):
        return _rate(name, value)
    if name in ("seed", "burst_length", "throttle_wait", "jitter_ms", "retry_after"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise FaultConfigError(f"{name} must be a non-negative integer, not {value!r}")
        return value
    if name == "statuses":
        statuses = tuple(value) if isinstance(value, list | tuple) else ()
        if not statuses or any(s not in SERVER_STATUSES for s in statuses):
            raise FaultConfigError(f"statuses must be a non-empty list from {SERVER_STATUSES}")
        return statuses
    raise FaultConfigError(f"unknown fault setting {name!r}")


def _checked_table(name: str, table: dict[str, float]) -> dict[str, float]:
    bad = sorted(m for m in table if m not in (*METHODS, "*"))
    if bad:
        raise FaultConfigError(f"{name}: unknown method(s) {bad}; use {', '.join(METHODS)} or *")
    return table


def _rate(name: str, value: Any) -> float:
    try:
        rate = float(value)
    except (TypeError, ValueError):
        raise FaultConfigError(f"{name} must be a number from 0 to 1, not {value!r}") from None
    if isinstance(value, bool) or not 0.0 <= rate <= 1.0:
        raise FaultConfigError(f"{name} must be a number from 0 to 1, not {value!r}")
    return rate


@dataclass(frozen=True)
class InjectedFault:
    method: str
    path: str
    kind: str  # e.g. "503", "429", "drop", "500 after commit", "page: count"


class FaultPlan:
    """A seeded :class:`FaultPolicy`. Set :attr:`enabled` to ``False`` to stop the faults."""

    def __init__(
        self, spec: FaultSpec | None = None, *, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.spec = spec or FaultSpec()
        self.enabled = True
        self._rng = random.Random(self.spec.seed)
        self._sleep = sleep
        self._lock = threading.Lock()
        self._burst_left = 0
        self._injected: list[InjectedFault] = []

    @property
    def injected(self) -> list[InjectedFault]:
        """Every fault injected so far, oldest first."""
        with self._lock:
            return list(self._injected)

    def before(self, request: Request) -> Response | None:
        if not self.enabled:
            return None
        with self._lock:
            delay = self._rng.uniform(0, self.spec.jitter_ms) / 1000 if self.spec.jitter_ms else 0
            fault = self._throttled(request) or self._failed(request, self.spec.fail_rate, "")
        if delay:
            self._sleep(delay)
        return fault

    def after(self, request: Request, response: Response) -> Outcome:
        if not self.enabled:
            return response
        with self._lock:
            if self._draw(rate_for(self.spec.drop_after_commit, request.method)):
                self._record(request, "drop after commit")
                return DROP
            failed = self._failed(request, self.spec.fail_after_commit, " after commit")
            if failed is not None:
                return failed
            return self._page_fault(request, response)

    # -- the faults ------------------------------------------------------------------------

    def _draw(self, rate: float) -> bool:
        return rate > 0 and self._rng.random() < rate

    def _record(self, request: Request, kind: str) -> None:
        self._injected.append(InjectedFault(request.method, request.path, kind))

    def _throttled(self, request: Request) -> Response | None:
        if self._burst_left <= 0:
            if not self._draw(self.spec.throttle_rate):
                return None
            self._burst_left = max(self.spec.burst_length, 1)
        self._burst_left -= 1
        self._record(request, "429")
        return throttled_response(self.spec.throttle_wait)

    def _failed(self, request: Request, table: RateTable, when: str) -> Response | None:
        if not self._draw(rate_for(table, request.method)):
            return None
        status = self._rng.choice(self.spec.statuses)
        self._record(request, f"{status}{when}")
        return server_error_response(status, self.spec.retry_after)

    def _page_fault(self, request: Request, response: Response) -> Outcome:
        if not (_is_alert_listing(request) and response.status == 200):
            return response
        if not self._draw(self.spec.page_fault_rate):
            return response
        kind = self._rng.choice(PAGE_FAULTS)
        self._record(request, f"page: {kind}")
        if kind == "cut":
            return CutBody(response, len(response.body) // 2)
        page = json.loads(response.body)
        results = page.get("results") or []
        if kind == "truncate" and results:
            results.pop()
        elif kind == "duplicate" and results:
            results.append(dict(results[0]))
        else:
            page["count"] = int(page.get("count", 0)) + 1
        return json_response(200, page)


def _is_alert_listing(request: Request) -> bool:
    parts = request.path.strip("/").split("/")
    return request.method == "GET" and len(parts) == 4 and parts[3] == "alerts"


def throttled_response(wait: int | None) -> Response:
    """PostHog's 429: drf-exceptions-hog's body, no Retry-After header (contract §6)."""
    return json_response(429, throttled_body(wait))


def throttled_body(wait: int | None) -> dict[str, Any]:
    """DRF's ``Throttled`` text: the wait rounded up, "second" when it is exactly 1."""
    detail = "Request was throttled."
    if wait is not None:
        unit = "second" if wait == 1 else "seconds"
        detail += f" Expected available in {wait} {unit}."
    return {"type": "throttled_error", "code": "throttled", "detail": detail, "attr": None}


_PROXY_PAGES = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Time-out"}


def server_error_response(status: int, retry_after: int = 1) -> Response:
    """A 500 from PostHog itself, or a 502/503/504 page from the proxy in front of it."""
    if status == 500:
        body = {"type": "server_error", "code": "error", "detail": "A server error occurred."}
        return json_response(500, {**body, "attr": None})
    title = f"{status} {_PROXY_PAGES.get(status, 'Error')}"
    page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html"),)
    if status == 503:
        headers += (("Retry-After", str(retry_after)),)
    return Response(status, page.encode(), headers)
