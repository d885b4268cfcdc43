"""Connection settings: host, project and API key, checked before anything is sent; and
how patiently to talk to PostHog (timeouts, retries, pacing)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from alertsync.edges.posthog.ratelimit import POSTHOG_PER_MINUTE
from alertsync.errors import ConfigError

DEFAULT_HOST = "https://us.posthog.com"
KEY_ENV = "POSTHOG_PERSONAL_API_KEY"
HOST_ENV = "POSTHOG_HOST"
PROJECT_ENV = "POSTHOG_PROJECT_ID"

DEFAULT_TIMEOUT = 30.0  # seconds to wait for PostHog to answer (read, write)
DEFAULT_CONNECT_TIMEOUT = 10.0  # at most this long to open a connection


@dataclass(frozen=True)
class Connection:
    host: str
    project: str
    api_key: str = field(repr=False)

    def __repr__(self) -> str:  # the key never shows, even in a debugger or a traceback
        return f"Connection(host={self.host!r}, project={self.project!r}, api_key=<redacted>)"


@dataclass(frozen=True)
class Tuning:
    """How alertsync talks to PostHog: timeouts, the retry budget, and client-side pacing."""

    timeout: float = DEFAULT_TIMEOUT
    max_retry_time: float = 60.0  # seconds spent on one request, its retries and waits
    retry_base_delay: float = 0.5  # the first retry's delay; it doubles, with jitter
    rate_limit: int = POSTHOG_PER_MINUTE  # per minute (and 10x per hour); 0: no pacing
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    concurrency: int = 10  # requests in flight at once (Terraform's default parallelism too)


def is_loopback(hostname: str) -> bool:
    if hostname == "localhost" or hostname.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(hostname.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str) -> str:
    try:
        parts = urlsplit(host.strip())
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as exc:
        raise ConfigError(f"host {host!r} is not a valid URL ({exc})") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"host {host!r} is not an http(s) URL such as {DEFAULT_HOST}")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ConfigError(
            f"host {host!r} uses plain http: the API key would cross the network unencrypted. "
            "Use https (plain http is allowed only for loopback hosts such as the emulator)."
        )
    if parts.query or parts.fragment:
        raise ConfigError(f"host {host!r} must not carry a query or fragment")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def check_project(project: str | None) -> str:
    if not project:
        raise ConfigError(f"no project: pass --project or set {PROJECT_ENV}")
    value = project.strip()
    if value != "@current" and not value.isdigit():
        raise ConfigError(f"project {project!r} must be a numeric project id or @current")
    return value


def check_key(key: str) -> str:
    """A key that can travel in an HTTP header: printable ASCII without spaces. The error
    never shows the key (a wrapped secret with a newline would otherwise surface in it)."""
    if not key:
        raise ConfigError(f"no API key: set {KEY_ENV} to a PostHog personal API key")
    if not all(33 <= ord(char) < 127 for char in key):
        raise ConfigError(
            f"{KEY_ENV} holds spaces, line breaks or non-ASCII characters, which no PostHog "
            "key has; check how the secret is stored (it is not shown here)"
        )
    return key


def connection(host: str | None, project: str | None, env: Mapping[str, str]) -> Connection:
    key = check_key(env.get(KEY_ENV, "").strip())
    return Connection(check_host(host or DEFAULT_HOST), check_project(project), key)
