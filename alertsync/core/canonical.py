"""The canonical alert: one shape for both sides of the diff.

Files and the live API are both normalised into it before anything is compared: the API's
write shape with defaults filled, server-owned fields dropped, numbers normalised and
set-like lists sorted. Diffing anything else gives diffs that never go away.
"""

from __future__ import annotations

from typing import Any

from alertsync.model import Canonical

# The fields alertsync manages, in the API's field order. `name` is the identity key.
MANAGED_FIELDS = (
    "insight",
    "subscribed_users",
    "threshold",
    "condition",
    "config",
    "calculation_interval",
    "enabled",
    "skip_weekend",
)

DEFAULTS: dict[str, Any] = {
    "subscribed_users": [],
    "calculation_interval": "daily",
    "enabled": True,
    "skip_weekend": False,
}

TRENDS_CONFIG = "TrendsAlertConfig"

# Side effects PostHog attaches to changing these (contract §1.3 and §4): a new threshold
# configuration sets the state to Not firing and schedules a check at once; a new interval
# schedules a check at once, which recomputes the firing state.
RESETTING_PATHS: dict[str, str] = {
    "threshold.configuration": (
        "PostHog resets the alert's firing state (to Not firing) and re-checks it at once."
    ),
    "calculation_interval": (
        "PostHog resets the alert's check schedule: it re-checks the alert at once and "
        "recomputes its firing state."
    ),
}


def number(value: Any) -> Any:
    """50 and 50.0 are the same bound: integral floats become ints."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def threshold(raw: Any) -> Any:
    if not isinstance(raw, dict):
        return None if raw is None else raw
    configuration = raw.get("configuration")
    out: dict[str, Any] = {"name": raw.get("name") or ""}
    out["configuration"] = _configuration(configuration)
    return out


def _configuration(raw: Any) -> Any:
    if not isinstance(raw, dict):
        return raw
    out = {k: v for k, v in raw.items() if k != "bounds"}
    bounds = raw.get("bounds")
    if isinstance(bounds, dict):
        out["bounds"] = {k: number(v) for k, v in sorted(bounds.items()) if v is not None}
    elif bounds is None:
        out["bounds"] = {}
    else:
        out["bounds"] = bounds
    return out


def condition(raw: Any) -> Any:
    return dict(raw) if isinstance(raw, dict) else raw


def config(raw: Any) -> Any:
    if not isinstance(raw, dict):
        return raw
    out = {k: number(v) for k, v in raw.items()}
    out.setdefault("type", TRENDS_CONFIG)
    if out["type"] == TRENDS_CONFIG:
        out["check_ongoing_interval"] = bool(out.get("check_ongoing_interval"))
    return out


def users(ids: list[Any]) -> list[Any]:
    """Subscribers are a set: sorted, without repeats (ints before unresolved emails)."""
    unique = set(ids)
    return sorted(unique, key=lambda v: (isinstance(v, str), v if isinstance(v, str) else int(v)))


def alert(raw: dict[str, Any]) -> Canonical:
    """Normalise a write-shaped alert (references may still be unresolved)."""
    out: Canonical = {"name": raw["name"]}
    out["insight"] = number(raw.get("insight"))
    out["subscribed_users"] = users([number(u) for u in raw.get("subscribed_users") or []])
    out["threshold"] = threshold(raw.get("threshold"))
    out["condition"] = condition(raw.get("condition"))
    out["config"] = config(raw.get("config"))
    for key in ("calculation_interval", "enabled", "skip_weekend"):
        value = raw.get(key)
        out[key] = DEFAULTS[key] if value is None else value
    return out


def write_body(spec: Canonical, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The request body: the whole write shape (create) or only `fields` (update)."""
    chosen = MANAGED_FIELDS if fields is None else fields
    body: dict[str, Any] = {}
    if fields is None:
        body["name"] = spec["name"]
    for field in MANAGED_FIELDS:
        if field in chosen:
            body[field] = spec[field]
    return body
