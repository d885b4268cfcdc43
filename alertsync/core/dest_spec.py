"""Destinations in one comparable shape: from the files (with names and variable names) and
from PostHog (hog functions), both file-shaped, with Slack ids and URL fingerprints.

A webhook-style URL is a credential (its path is the secret), so it never enters a `Dest`:
only its host and a SHA-256 fingerprint do, and the name of the variable that holds it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from typing import Any

from alertsync.core.dest_kinds import (
    ALERT_EVENT,
    FILE_KEY,
    KIND_LABELS,
    KIND_OF_TEMPLATE,
    KINDS,
    OPTIONAL_INPUTS,
    URL_INPUT,
)
from alertsync.model import Dest, Labels, LiveDest

CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")
NOT_COMPARED = ("url_env",)  # where a URL came from is not part of what PostHog holds
OTHER = "other"  # a hog function of a template alertsync does not manage


def fingerprint(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def url_host(url: str) -> str:
    """The host of a URL (lower case, with its port), without scheme, credentials or path."""
    rest = url.split("://", 1)[1] if "://" in url else url
    authority = re.split(r"[/?#\\]", rest, maxsplit=1)[0]  # `\` ends it too, as in WHATWG URLs
    return authority.rsplit("@", 1)[-1].lower()


def url_value(url: str) -> dict[str, str]:
    """What a Dest holds of a URL: its host and fingerprint, never the URL. Surrounding
    whitespace is not part of it (a variable's value is read the same way)."""
    url = url.strip()
    return {"host": url_host(url), "sha256": fingerprint(url)}


def env_url(env: Mapping[str, str], variable: str) -> str:
    """The URL a variable holds, as it is sent (surrounding whitespace dropped)."""
    return env.get(variable, "").strip()


# -- from the files -----------------------------------------------------------------------


def file_destination(raw: Mapping[str, Any]) -> Dest:
    """A destination as the file declares it (Slack names, URL variables not yet read)."""
    return {key: value for key, value in raw.items()}


def channel_name(channel: str) -> str | None:
    """`#growth-alerts` or `growth-alerts` → `growth-alerts`; a channel id → None."""
    if CHANNEL_ID.match(channel):
        return None
    return channel.removeprefix("#")


# -- from PostHog -------------------------------------------------------------------------


def alert_id_of(function: Mapping[str, Any]) -> str | None:
    """The alert a hog function notifies for, if it is an insight-alert destination (§9.2)."""
    if function.get("type") != "internal_destination":
        return None
    filters = function.get("filters")
    if not isinstance(filters, dict):
        return None
    events = filters.get("events") or []
    if not any(isinstance(e, dict) and e.get("id") == ALERT_EVENT for e in events):
        return None
    for prop in filters.get("properties") or []:
        exact = isinstance(prop, dict) and prop.get("operator") in (None, "exact")
        if exact and prop.get("key") == "alert_id":
            value = prop.get("value")
            if isinstance(value, list) and len(value) == 1:
                value = value[0]
            return str(value) if isinstance(value, str | int) else None
    return None


def input_values(function: Mapping[str, Any]) -> dict[str, Any]:
    """Each input's value (inputs come back as {"value": …} plus server keys)."""
    inputs = function.get("inputs")
    if not isinstance(inputs, dict):
        return {}
    return {
        key: item["value"]
        for key, item in inputs.items()
        if isinstance(item, dict) and "value" in item
    }


def live_destination(function: Mapping[str, Any]) -> Dest:
    template = function.get("template")
    template_id = template.get("id") if isinstance(template, dict) else None
    kind = KIND_OF_TEMPLATE.get(str(template_id))
    enabled = function.get("enabled") is True
    if kind is None:
        return {"type": OTHER, "template": str(template_id), "enabled": enabled}
    values = input_values(function)
    spec: Dest = {"type": kind}
    if kind == "slack":
        spec["workspace"] = values.get("slack_workspace")
        spec["channel"] = values.get("channel")
    else:
        url = values.get(URL_INPUT[kind])
        spec["url"] = url_value(url) if isinstance(url, str) else None
    for input_key, value in values.items():
        file_key = FILE_KEY[kind].get(input_key)
        if file_key is not None:
            spec[file_key] = value
    spec["enabled"] = enabled
    return spec


def live_destinations(functions: list[dict[str, Any]]) -> dict[str, list[LiveDest]]:
    """Alert id → its live destinations, oldest first (PostHog lists newest first)."""
    found: dict[str, list[LiveDest]] = {}
    for function in functions:
        alert_id = alert_id_of(function)
        if alert_id is None or not isinstance(function.get("id"), str):
            continue
        name = function.get("name")
        found.setdefault(alert_id, []).append(
            LiveDest(
                function["id"],
                alert_id,
                live_destination(function),
                name if isinstance(name, str) else "",
                str(function.get("created_at") or ""),
            )
        )
    for dests in found.values():
        dests.sort(key=lambda d: (d.created_at, d.id))
    return found


# -- comparing ----------------------------------------------------------------------------


def identity(spec: Dest) -> tuple[Any, ...]:
    """What makes two destinations of an alert the same one (§9.1)."""
    kind = spec.get("type")
    if kind == "slack":
        return (kind, spec.get("workspace"), spec.get("channel"))
    if kind in URL_INPUT:
        url = spec.get("url")
        return (kind, url.get("sha256") if isinstance(url, dict) else None)
    return (kind, spec.get("template"))  # never declared in a file: never matched


def compared(value: Any) -> Any:
    if isinstance(value, dict) and "sha256" in value:
        return {"host": value.get("host"), "sha256": value.get("sha256")}
    return value


def owned_keys(desired: Dest) -> Iterator[str]:
    """The keys of a desired destination that PostHog's copy must match."""
    return (key for key in desired if key not in NOT_COMPARED and key != "type")


def projected(live: Dest, desired: Dest) -> Dest:
    """The live destination seen through what the file owns (plus its kind and URL source)."""
    out: Dest = {"type": live.get("type")}
    for key in owned_keys(desired):
        if key in live:
            out[key] = live[key]
    return out


def known_kind(kind: Any) -> bool:
    return kind in KINDS


def optional_keys(kind: str) -> tuple[str, ...]:
    return tuple(OPTIONAL_INPUTS.get(kind, {}))


def describe(dest: Mapping[str, Any], labels: Labels) -> str:
    """A destination in a few words, never with its URL: `Slack #eng (Acme)`, `webhook host`."""
    kind = dest.get("type")
    if kind == "slack":
        channel = str(dest.get("channel"))
        named = labels.channels.get(channel)
        space = dest.get("workspace")
        workspace = labels.workspaces.get(space, space) if isinstance(space, int) else space
        return f"Slack {'#' + named if named else channel} ({workspace})"
    if kind == OTHER:
        return f"destination of template {dest.get('template')}"
    url = dest.get("url")
    if not isinstance(url, dict):
        return f"{KIND_LABELS.get(str(kind), kind)} (no URL)"
    return f"{KIND_LABELS.get(str(kind), kind)} {url.get('host')} (…{str(url.get('sha256'))[-4:]})"
