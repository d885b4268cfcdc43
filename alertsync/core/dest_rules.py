"""Offline rules for an alert's destinations: the same destination declared twice."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from alertsync.core.dest_spec import channel_name

# Variables that hold something else than one destination's URL: apply would copy their
# value into PostHog. A file (a pull request) must not be able to name them.
RESERVED = re.compile(
    r"^(?:POSTHOG_|ALERTSYNC_|GITHUB_|GITLAB_|CI_|RUNNER_|ACTIONS_)|(?:^|_)PROXY$|^NO_PROXY$",
    re.IGNORECASE,
)


def _written_identity(entry: dict[str, Any]) -> tuple[Any, ...] | None:
    kind = entry.get("type")
    if kind == "slack":
        channel = entry.get("channel")
        if not isinstance(channel, str):
            return None
        name = channel_name(channel)
        if name == "" or not channel.strip():
            return None  # an empty channel is the schema's problem
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
        if isinstance(entry, dict) and entry.get("type") == "slack":
            for key in ("workspace", "channel"):
                if "://" in str(entry.get(key)):
                    yield (
                        ("destinations", index, key),
                        f"holds a URL (not shown): write the Slack {key}'s name or id (a "
                        "Slack webhook URL is not a channel: use type webhook with url_env)",
                    )
        variable = entry.get("url_env") if isinstance(entry, dict) else None
        if isinstance(variable, str) and RESERVED.search(variable):
            yield (
                ("destinations", index, "url_env"),
                f"${variable} is a variable of alertsync, PostHog, the CI or a proxy, not a "
                "destination's URL: apply would send its value to PostHog; name a variable "
                "that holds only this destination's URL",
            )
        ident = _written_identity(entry) if isinstance(entry, dict) else None
        if ident is None:
            continue
        first = seen.setdefault(ident, index)
        if first != index:
            yield (
                ("destinations", index),
                f"the same destination as destinations[{first}]; declare each one once",
            )
