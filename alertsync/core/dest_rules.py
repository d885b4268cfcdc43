"""Offline rules for an alert's destinations: the same destination declared twice."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from alertsync.core.dest_spec import channel_name


def _written_identity(entry: dict[str, Any]) -> tuple[Any, ...] | None:
    kind = entry.get("type")
    if kind == "slack":
        channel = entry.get("channel")
        if not isinstance(channel, str):
            return None
        name = channel_name(channel)
        workspace = str(entry.get("workspace")).strip().lower()
        return (kind, workspace, name.lower() if name is not None else channel)
    if isinstance(entry.get("url_env"), str):
        return (kind, entry["url_env"])
    return None


def destination_problems(alert: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    raw = alert.get("destinations")
    if not isinstance(raw, list):
        return
    seen: dict[tuple[Any, ...], int] = {}
    for index, entry in enumerate(raw):
        ident = _written_identity(entry) if isinstance(entry, dict) else None
        if ident is None:
            continue
        first = seen.setdefault(ident, index)
        if first != index:
            yield (
                ("destinations", index),
                f"the same destination as destinations[{first}]; declare each one once",
            )
