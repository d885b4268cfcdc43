"""How bytes reach PostHog: TLS always verified, proxies only as tunnels, one deadline a request.

* **Proxies.** Environment proxy variables are read here, not by httpx. A loopback host
  (the emulator) never goes through a proxy. An https host uses `HTTPS_PROXY` (or
  `ALL_PROXY`) unless `NO_PROXY` names it, and only as a CONNECT tunnel: the proxy sees the
  host name and encrypted bytes, never the key or a request. Plain http reaches only
  loopback hosts (see `settings.check_host`), so no request is ever forwarded in clear.
* **Deadline.** `--timeout` bounds a request's whole duration (connecting, sending, and
  reading every byte of the answer), not only each read: a server that trickles its answer
  a byte at a time is cut off when the time is up, like one that says nothing.
* `SSL_CERT_FILE` / `SSL_CERT_DIR` are honoured for the trust store (a corporate CA).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from alertsync.edges.posthog.settings import is_loopback
from alertsync.errors import ConfigError

_local = threading.local()


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Every network operation of this thread inside the block ends by now + `seconds`."""
    before = getattr(_local, "deadline", None)
    _local.deadline = time.monotonic() + seconds
    try:
        yield
    finally:
        _local.deadline = before


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    """The timeout for one operation: at most what is left before the deadline."""
    end: float | None = getattr(_local, "deadline", None)
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise error("the request took longer than its timeout (--timeout)")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(
            ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout)
        )
        return _DeadlineStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, bounded, local_address, socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("alertsync connects over TCP only")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def proxy_for(host: str, env: Mapping[str, str]) -> str | None:
    """The proxy an https host is reached through, from the environment, or None."""
    parts = urlsplit(host)
    name = (parts.hostname or "").lower()
    if parts.scheme != "https" or is_loopback(name) or _bypassed(name, env):
        return None
    for variable in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        value = env.get(variable, "").strip()
        if value:
            return _checked_proxy(value, variable)
    return None


def _bypassed(name: str, env: Mapping[str, str]) -> bool:
    listed = env.get("NO_PROXY") or env.get("no_proxy") or ""
    for entry in (e.strip().lower() for e in listed.split(",")):
        if entry == "*":
            return True
        entry = entry.lstrip(".")
        if entry.count(":") == 1:  # host:port (an IPv6 address has more colons)
            entry = entry.rsplit(":", 1)[0]
        if entry and (name == entry or name.endswith("." + entry)):
            return True
    return False


def _checked_proxy(value: str, variable: str) -> str:
    url = value if "://" in value else f"http://{value}"
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise ConfigError(
            f"{variable} names a {scheme} proxy; alertsync tunnels through HTTP(S) proxies "
            "only (set NO_PROXY to reach PostHog directly)"
        )
    return url


def make_transport(
    host: str, env: Mapping[str, str], max_connections: int, *, deferred: bool = False
) -> httpx.BaseTransport:
    """The transport for one PostHog host: verified TLS, the proxy rule, the deadline.
    `deferred`: built on a thread of its own (see `DeferredTransport`); the proxy rule is
    checked at once either way, so a bad proxy setting is refused before anything else."""
    proxy = proxy_for(host, env)
    if deferred:
        return DeferredTransport(lambda: _transport(proxy, max_connections))
    return _transport(proxy, max_connections)


class DeferredTransport(httpx.BaseTransport):
    """A transport built on a thread of its own while the command does other work (loading
    the trusted certificates takes tens of milliseconds, and releases the GIL while it
    does); the first request waits until it is ready."""

    def __init__(self, build: Callable[[], httpx.BaseTransport]) -> None:
        self._build = build
        self._built: httpx.BaseTransport | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="alertsync-tls", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._built = self._build()
        except BaseException as exc:  # raised again where the transport is first used
            self._error = exc

    @property
    def inner(self) -> httpx.BaseTransport:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._built is not None
        return self._built

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.inner.handle_request(request)

    def close(self) -> None:
        self._thread.join()
        if self._built is not None:  # one that failed to build holds nothing to close
            self._built.close()


def _transport(proxy: str | None, max_connections: int) -> httpx.BaseTransport:
    limits = httpx.Limits(
        max_connections=max_connections, max_keepalive_connections=max_connections
    )
    transport = httpx.HTTPTransport(
        verify=httpx.create_ssl_context(trust_env=True),
        trust_env=False,
        proxy=proxy,
        limits=limits,
    )
    pool = transport._pool  # httpcore's pool: the one place the network backend is set
    pool._network_backend = _DeadlineBackend(pool._network_backend)
    return transport
