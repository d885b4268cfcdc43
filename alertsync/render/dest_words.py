"""Destinations as a reviewer reads them: `Slack #growth-alerts (Hedgebox)`, `webhook
hooks.example.com (…3f9a, from $GROWTH_ALERTS_WEBHOOK)`. A URL is never shown: a Dest holds
only its host and fingerprint."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from alertsync.core.dest_kinds import KIND_LABELS
from alertsync.core.dest_spec import OTHER
from alertsync.model import ABSENT, Dest, DestChange, Labels
from alertsync.render.values import scalar

CLIP = 60
Quote = Callable[[object], str]  # how a name or value is set off (markdown: a code span)


def _as_is(value: object) -> str:
    """A name as a text plan line shows it: on one line, control characters escaped (a
    workspace or channel name comes from Slack, and must not forge plan lines)."""
    text = str(value)
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c in "\u2028\u2029" for c in text):
        return json.dumps(text, ensure_ascii=False)[1:-1]
    return text


def where_to(spec: Dest, labels: Labels, q: Quote = _as_is) -> str:
    """Where a destination sends: the channel and workspace, or the host and fingerprint."""
    kind = spec.get("type")
    if kind == "slack":
        return f"Slack {q(channel(spec.get('channel'), labels))} ({q(workspace(spec, labels))})"
    if kind == OTHER:
        return f"a destination of template {q(spec.get('template'))} (not a kind alertsync manages)"
    kind_label = KIND_LABELS.get(str(kind), str(kind))
    return f"{kind_label} {q(url(spec.get('url'), spec.get('url_env')))}"


def channel(value: Any, labels: Labels) -> str:
    name = labels.channels.get(str(value))
    return f"#{name}" if name else str(value)


def workspace(spec: Dest, labels: Labels) -> str:
    value = spec.get("workspace")
    return labels.workspaces.get(value, str(value)) if isinstance(value, int) else str(value)


def url(value: Any, variable: Any = None) -> str:
    if not isinstance(value, dict):
        return "(no URL)"
    source = f", from ${variable}" if isinstance(variable, str) else ""
    return f"{value.get('host')} (…{str(value.get('sha256', ''))[-4:]}{source})"


def value(key: str, shown: Any, labels: Labels, spec: Dest) -> str:
    if shown is ABSENT:
        return "(PostHog's default)"
    if key == "channel":
        return channel(shown, labels)
    if key == "workspace":
        return workspace({"workspace": shown}, labels)
    if key == "url":
        return url(shown, spec.get("url_env"))
    if isinstance(shown, dict | list):
        text = json.dumps(shown, ensure_ascii=False, sort_keys=True)
        return text if len(text) <= CLIP else text[: CLIP - 1] + "…"
    text = scalar(shown)
    return text if len(text) <= CLIP else text[: CLIP - 1] + "…"


def headline(route: DestChange, labels: Labels) -> str:
    """One line for a destination change, as the text plan shows it."""
    if route.action == "create" and route.after is not None:
        return f"+ notify {where_to(route.after, labels)}{_off(route.after)}"
    if route.action == "delete" and route.before is not None:
        gone = " (goes with the alert)" if route.cascade else ""
        return f"- stop notifying {where_to(route.before, labels)}{gone}"
    assert route.before is not None and route.after is not None
    return f"~ change {where_to(route.before, labels)}"


def _off(spec: Dest) -> str:
    return " (disabled)" if spec.get("enabled") is False else ""


TARGET_KEYS = ("type", "workspace", "channel", "url", "url_env", "enabled")


def detail_lines(route: DestChange, labels: Labels, q: Quote = _as_is) -> Iterator[str]:
    """`key: old -> new` for each field an update changes; for a new destination, `key =
    value` for each message setting the file gives (the rest is PostHog's message)."""
    if route.action == "create" and route.after is not None:
        for key, shown in route.after.items():
            if key not in TARGET_KEYS:
                yield f"{key} = {q(value(key, shown, labels, route.after))}"
        return
    for detail in route.details:
        old = value(detail.path, detail.old, labels, route.before or {})
        new = value(detail.path, detail.new, labels, route.after or {})
        yield f"{detail.path}: {q(old)} -> {q(new)}"


def sentences(route: DestChange, labels: Labels, q: Quote = _as_is) -> Iterator[str]:
    """The change in plain words, for the markdown plan."""
    if route.action == "create" and route.after is not None:
        yield f"**Notifies** {where_to(route.after, labels, q)}{_off(route.after)}."
    elif route.action == "delete" and route.before is not None:
        where = where_to(route.before, labels, q)
        if route.cascade:
            yield f"Stops notifying {where} (removed with the alert)."
        else:
            yield f"**Stops notifying** {where}."
    elif route.before is not None:
        changes = "; ".join(detail_lines(route, labels, q))
        yield f"**Changes** {where_to(route.before, labels, q)}: {changes}."
