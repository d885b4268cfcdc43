"""Shared test helpers: the default project's alerts path, a valid body, clients, errors."""

from __future__ import annotations

import ssl
from typing import Any

import httpx

from alertsync.emulator import Emulator

ALERTS = "/api/projects/1/alerts/"
_TLS = ssl.create_default_context()  # built once: clients only speak plain HTTP to loopback


def valid_body(**overrides: Any) -> dict[str, Any]:
    """A POST body that the contract accepts; keyword arguments replace its keys."""
    body: dict[str, Any] = {
        "insight": 101,
        "name": "Signups dropped",
        "subscribed_users": [1],
        "threshold": {"configuration": {"type": "absolute", "bounds": {"lower": 50}}},
        "condition": {"type": "absolute_value"},
        "config": {"type": "TrendsAlertConfig", "series_index": 0},
        "calculation_interval": "daily",
    }
    body.update(overrides)
    return body


def error(
    code: str, detail: str, attr: str | None = None, kind: str = "validation_error"
) -> dict[str, Any]:
    """PostHog's error envelope."""
    return {"type": kind, "code": code, "detail": detail, "attr": attr}


def client_for(emu: Emulator, key: str | None = None) -> httpx.Client:
    """A client for ``emu`` authenticated with ``key`` (default: the full-access key)."""
    headers = {"Authorization": f"Bearer {key or emu.api_key}"}
    return httpx.Client(base_url=emu.base_url, headers=headers, timeout=10, verify=_TLS)
