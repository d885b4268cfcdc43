"""Connection settings: host, project and API key, checked before anything is sent; and
how patiently to talk to PostHog (timeouts, retries, pacing)."""

from __future__ import annotations

import ipaddress
import re
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
    key_env: str = KEY_ENV  # the variable the key was read from (for messages)

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
    """The base URL, checked: http(s) with a valid host name, no user name or password, no
    query; plain http only for loopback. Every problem is one clear ConfigError (a value
    carrying credentials is never echoed)."""
    value = host.strip()
    if any(ord(char) < 0x21 or ord(char) == 0x7F for char in value):
        raise ConfigError(
            f"host {value!r} contains spaces or control characters; expected a URL such as "
            f"{DEFAULT_HOST}"
        )
    try:
        parts = urlsplit(value)
        port = parts.port  # raises on a port that is not a number or out of range
    except ValueError as exc:
        raise ConfigError(f"host {_shown(value)!r} is not a valid URL ({exc})") from None
    if "@" in parts.netloc:
        raise ConfigError(
            "the host must not carry a user name or password (user:pass@…; not shown here): "
            f"alertsync sends the API key from {KEY_ENV} as a Bearer header, and nothing else"
        )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"host {value!r} is not an http(s) URL such as {DEFAULT_HOST}")
    problem = _hostname_problem(parts.hostname)
    if problem:
        raise ConfigError(f"host {value!r}: {problem}")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ConfigError(
            f"host {value!r} uses plain http: the API key would cross the network unencrypted. "
            "Use https (plain http is allowed only for loopback hosts such as the emulator)."
        )
    if parts.query or parts.fragment:
        raise ConfigError(f"host {value!r} must not carry a query or fragment")
    if port == 0:
        raise ConfigError(f"host {value!r}: port 0 is not a port a server listens on")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _shown(value: str) -> str:
    """The URL without anything between '//' and '@' (user names and passwords)."""
    scheme, sep, rest = value.partition("//")
    return f"{scheme}{sep}…@{rest.rsplit('@', 1)[1]}" if sep and "@" in rest else value


_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")


def _hostname_problem(name: str) -> str | None:
    """Why `name` cannot be a host to connect to (None: it can)."""
    try:
        ipaddress.ip_address(name)
        return None
    except ValueError:
        pass
    import httpx  # here, not at the top: commands that never connect do not load it

    try:
        ascii_name = httpx.URL(f"https://{name}/").raw_host.decode("ascii")
    except Exception:  # httpx's IDNA check: an invalid A-label or U-label
        return "the host name is not a valid internationalised domain name"
    labels = ascii_name.rstrip(".").split(".")
    if len(ascii_name) > 253:
        return "the host name is longer than 253 characters"
    for label in labels:
        if not label:
            return "the host name has an empty label (two dots in a row?)"
        if len(label) > 63:
            return f"the host name has a label longer than 63 characters ({label[:20]}…)"
        if not _LABEL.match(label):
            return f"the host name label {label!r} has characters a host name cannot have"
        if label.startswith("xn--") and not _valid_a_label(label):
            return f"the host name label {label!r} is not valid punycode (an xn-- label)"
    return None


def _valid_a_label(label: str) -> bool:
    """An xn-- label that decodes and encodes back to itself."""
    try:
        decoded = label[4:].encode("ascii").decode("punycode")
        return bool(decoded) and decoded.encode("idna").decode("ascii") == label
    except UnicodeError:
        return False


def check_project(project: str | None) -> str:
    if not project:
        raise ConfigError(f"no project: pass --project or set {PROJECT_ENV}")
    value = project.strip()
    if value != "@current" and not (value.isascii() and value.isdigit()):
        raise ConfigError(f"project {project!r} must be a numeric project id or @current")
    return value


def check_key(key: str, variable: str = KEY_ENV) -> str:
    """A key that can travel in an HTTP header: printable ASCII without spaces. The error
    never shows the key (a wrapped secret with a newline would otherwise surface in it)."""
    if not key:
        raise ConfigError(f"no API key: set {variable} to a PostHog personal API key")
    if not all(33 <= ord(char) < 127 for char in key):
        raise ConfigError(
            f"{variable} holds spaces, line breaks or non-ASCII characters, which no PostHog "
            "key has; check how the secret is stored (it is not shown here)"
        )
    return key


def connection(
    host: str | None, project: str | None, env: Mapping[str, str], key_env: str = KEY_ENV
) -> Connection:
    """The connection, checked; the key comes from the variable `key_env` of `env`."""
    key = check_key(env.get(key_env, "").strip(), key_env)
    return Connection(check_host(host or DEFAULT_HOST), check_project(project), key, key_env)
