"""Export of destinations: each alert's live destinations as a file declares them.

Pure. Slack by workspace and channel names where they name the same ids back (else the
ids); webhook-style URLs as variables it names (`WEBHOOK_HOOKS_EXAMPLE_COM_URL`), one per
distinct URL; message inputs and `enabled` only where they differ from what a new
destination gets. An alert with a destination of a kind alertsync does not manage is
exported without `destinations`, so its routing is left alone rather than removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from alertsync.core.dest_kinds import FILE_KEY, KINDS, URL_INPUT, default_inputs
from alertsync.core.dest_spec import OTHER
from alertsync.model import Dest, Labels, LiveDest

WEBHOOK_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


def url_variables(routes: Iterable[LiveDest]) -> dict[str, str]:
    """URL fingerprint → the variable an export names it by, one per distinct URL."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for route in routes:
        url = route.spec.get("url")
        kind = str(route.spec.get("type"))
        if kind not in URL_INPUT or not isinstance(url, dict) or url["sha256"] in names:
            continue
        host = "" if kind == "discord" else str(url.get("host", ""))
        stem = re.sub(r"[^A-Z0-9]+", "_", f"{kind}_{host}".upper()).strip("_") + "_URL"
        name, n = stem, 1
        while name in taken:
            n += 1
            name = f"{stem}_{n}"
        taken.add(name)
        names[url["sha256"]] = name
    return names


def manageable(routes: Sequence[LiveDest]) -> bool:
    return all(route.spec.get("type") in KINDS for route in routes)


def export_destinations(
    routes: Sequence[LiveDest], labels: Labels, variables: Mapping[str, str]
) -> list[dict[str, Any]]:
    return [_entry(route.spec, labels, variables) for route in routes]


def _entry(spec: Dest, labels: Labels, variables: Mapping[str, str]) -> dict[str, Any]:
    kind = str(spec["type"])
    out: dict[str, Any] = {"type": kind}
    if kind == "slack":
        out["workspace"] = _workspace(spec.get("workspace"), labels)
        channel = str(spec.get("channel"))
        out["channel"] = f"#{labels.channels[channel]}" if channel in labels.channels else channel
    else:
        url = spec.get("url")
        out["url_env"] = variables[url["sha256"]] if isinstance(url, dict) else ""
    defaults = {FILE_KEY[kind][key]: value for key, value in default_inputs(kind).items()}
    if kind == "webhook":
        defaults["headers"] = WEBHOOK_HEADERS
    for file_key in FILE_KEY[kind].values():
        value = spec.get(file_key)
        if value is not None and value != defaults.get(file_key):
            out[file_key] = value
    if spec.get("enabled") is False:
        out["enabled"] = False
    return out


def _workspace(value: Any, labels: Labels) -> Any:
    name = labels.workspaces.get(value) if isinstance(value, int) else None
    if name is None:
        return value
    same = [i for i, n in labels.workspaces.items() if n.strip().lower() == name.strip().lower()]
    return name if same == [value] and not name.strip().isdigit() else value


def unmanaged_kinds(routes: Sequence[LiveDest]) -> list[str]:
    return sorted({str(r.spec.get("template")) for r in routes if r.spec.get("type") == OTHER})
