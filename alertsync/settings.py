"""Connection settings: host, project and API key, checked before anything is sent."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from alertsync.errors import ConfigError

DEFAULT_HOST = "https://us.posthog.com"
KEY_ENV = "POSTHOG_PERSONAL_API_KEY"
HOST_ENV = "POSTHOG_HOST"
PROJECT_ENV = "POSTHOG_PROJECT_ID"


@dataclass(frozen=True)
class Connection:
    host: str
    project: str
    api_key: str = field(repr=False)

    def __repr__(self) -> str:  # the key never shows, even in a debugger or a traceback
        return f"Connection(host={self.host!r}, project={self.project!r}, api_key=<redacted>)"


def is_loopback(hostname: str) -> bool:
    if hostname == "localhost" or hostname.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(hostname.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str) -> str:
    parts = urlsplit(host.strip())
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


def connection(host: str | None, project: str | None, env: Mapping[str, str]) -> Connection:
    key = env.get(KEY_ENV, "").strip()
    if not key:
        raise ConfigError(f"no API key: set {KEY_ENV} to a PostHog personal API key")
    return Connection(check_host(host or DEFAULT_HOST), check_project(project), key)
