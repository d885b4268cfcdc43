"""Destinations as the files name them → as PostHog holds them, per project.

Pure: the Slack workspaces and channels the client looked up, and the environment the URL
variables come from, are passed in. Every reference that does not resolve is a problem at
the destination's file:line:col: an unknown workspace or channel, a channel the PostHog app
cannot post to, a revoked Slack connection, an unset variable, a URL PostHog's template
will not call. A problem never quotes a URL, only its variable's name and host.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from alertsync.core.desired import DesiredSet
from alertsync.core.dest_kinds import KIND_LABELS, OPTIONAL_INPUTS, URL_INPUT
from alertsync.core.dest_spec import channel_name, env_url, identity, url_value
from alertsync.core.numbers import number
from alertsync.core.validate import Located
from alertsync.model import Dest, Labels, Problem

_DISCORD = re.compile(r"^https://discord\.com/api/webhooks/")
_TEAMS = (  # the URLs PostHog's Teams template calls (TPL)
    re.compile(r"^https://[^/]+\.logic\.azure\.com:443/workflows/"),
    re.compile(r"^https://[^/]+\.webhook\.office\.com/webhookb2/"),
    re.compile(r"^https://[^/]*powerautomate\.com/"),
    re.compile(r"^https://[^/]*flow\.microsoft\.com/"),
    re.compile(r"^https://[^/]+\.environment\.api\.powerplatform\.com.*/powerautomate/automations/direct/.*workflows/"),
)  # fmt: skip


@dataclass(frozen=True)
class SlackWorkspace:
    id: int
    name: str


@dataclass(frozen=True)
class SlackChannel:
    id: str
    name: str
    is_member: bool
    hidden: bool = False  # private, and listed to another user than the integration's creator


@dataclass
class SlackDirectory:
    """What the client read of the project's Slack integrations and their channels."""

    workspaces: list[SlackWorkspace] = field(default_factory=list)
    channels: dict[tuple[int, str], SlackChannel | None] = field(default_factory=dict)
    refused: dict[int, str] = field(default_factory=dict)  # workspace id → PostHog's reason


def declared(desired: DesiredSet) -> Iterator[tuple[str, Located, list[Any]]]:
    """(alert name, where, its `destinations` list) for each alert that declares the key."""
    for name, item in desired.alerts.items():
        raw = item.source.alert.get("destinations")
        if isinstance(raw, list):
            yield name, item.source, raw


def workspace_for(ref: Any, workspaces: list[SlackWorkspace]) -> list[SlackWorkspace]:
    """The workspaces a reference names: by id, or by name (case-insensitive)."""
    wanted = number(ref)
    if isinstance(ref, str) and ref.strip().isdigit():
        wanted = int(ref.strip())  # "42", quoted, names the id too (unless a name is "42")
        named = [w for w in workspaces if w.name.strip() == ref.strip()]
        if named:
            return named
    if isinstance(wanted, int) and not isinstance(wanted, bool):
        return [w for w in workspaces if w.id == wanted]
    text = str(ref).strip().lower()
    return [w for w in workspaces if w.name.strip().lower() == text]


def channel_lookups(desired: DesiredSet, workspaces: list[SlackWorkspace]) -> set[tuple[int, str]]:
    """(workspace id, channel as written) for every Slack destination whose workspace resolves."""
    wanted: set[tuple[int, str]] = set()
    for _name, _where, raw in declared(desired):
        for entry in raw:
            if isinstance(entry, dict) and entry.get("type") == "slack":
                if "://" in str(entry.get("channel")):
                    continue  # never sent anywhere, not even as a search
                found = workspace_for(entry.get("workspace"), workspaces)
                if len(found) == 1:
                    wanted.add((found[0].id, str(entry.get("channel"))))
    return wanted


def resolve_destinations(
    desired: DesiredSet, env: Mapping[str, str], slack: SlackDirectory
) -> tuple[dict[str, list[Dest]], list[Problem], Labels]:
    """Alert name → its destinations as PostHog holds them, for alerts that declare them."""
    out: dict[str, list[Dest]] = {}
    problems: list[Problem] = []
    labels = Labels()
    for name, where, raw in declared(desired):
        dests: list[Dest] = []
        seen: dict[tuple[Any, ...], int] = {}
        for index, entry in enumerate(raw):
            at = ("destinations", index)
            spec, found = _resolve(entry, env, slack, labels)
            problems.extend(where.problem((*at, *path), text) for path, text in found)
            if spec is None:
                continue
            twin = seen.setdefault(identity(spec), index)
            if twin != index:
                text = f"the same destination as destinations[{twin}]; declare each one once"
                problems.append(where.problem(at, text))
                continue
            dests.append(spec)
        out[name] = dests
    return out, sorted(problems), labels


Found = list[tuple[tuple[str, ...], str]]


def _resolve(
    entry: dict[str, Any], env: Mapping[str, str], slack: SlackDirectory, labels: Labels
) -> tuple[Dest | None, Found]:
    kind = str(entry.get("type"))
    spec: Dest = {"type": kind}
    problems: Found = []
    if kind == "slack":
        problems = _slack(entry, slack, spec, labels)
    elif kind in URL_INPUT:
        problems = _url(entry, kind, env, spec)
    for key in OPTIONAL_INPUTS.get(kind, {}):
        if key in entry:
            spec[key] = entry[key]
    if "enabled" in entry:
        spec["enabled"] = entry["enabled"]
    return (None if problems else spec), problems


def _slack(entry: dict[str, Any], slack: SlackDirectory, spec: Dest, labels: Labels) -> Found:
    ref = entry.get("workspace")
    for key in ("workspace", "channel"):
        if "://" in str(entry.get(key)):
            text = (
                f"holds a URL (not shown): write the Slack {key}'s name or id (a Slack "
                "incoming-webhook URL is not a channel; use type: webhook with url_env)"
            )
            return [((key,), text)]
    found = workspace_for(ref, slack.workspaces)
    if not found:
        known = ", ".join(f"{w.name!r} (id {w.id})" for w in slack.workspaces) or "none"
        text = f"no Slack workspace {ref!r} is connected to the project (connected: {known})"
        return [(("workspace",), text)]
    if len(found) > 1:
        ids = " or ".join(str(w.id) for w in found)
        text = f"{len(found)} Slack workspaces are named {ref!r}: use the id ({ids})"
        return [(("workspace",), text)]
    workspace = found[0]
    labels.workspaces[workspace.id] = workspace.name
    if workspace.id in slack.refused:
        text = f"Slack workspace {workspace.name!r}: {slack.refused[workspace.id]}"
        return [(("workspace",), text)]
    written = str(entry.get("channel"))
    channel = slack.channels.get((workspace.id, written))
    where = ("channel",)
    if channel is None:
        by = "name" if channel_name(written) is not None else "id"
        text = (
            f"no channel with {by} {written!r} in Slack workspace {workspace.name!r} that "
            "this key's user can see: an archived channel cannot be posted to; a private "
            "channel is listed only to the person who connected Slack (write its id, "
            "G0…, instead of its name) and needs the PostHog app invited"
        )
        return [(where, text)]
    if not channel.is_member:
        shown = written if channel.hidden else f"#{channel.name}"
        text = (
            f"the PostHog app is not a member of {shown} in {workspace.name!r}, so it cannot "
            "post there: invite it to the channel (/invite @PostHog)"
        )
        return [(where, text)]
    if not channel.hidden:
        labels.channels[channel.id] = channel.name
    spec["workspace"] = workspace.id
    spec["channel"] = channel.id
    return []


def _url(entry: dict[str, Any], kind: str, env: Mapping[str, str], spec: Dest) -> Found:
    variable = str(entry.get("url_env"))
    where = ("url_env",)
    url = env_url(env, variable)
    if not url:
        state = "is empty" if variable in env else "is not set"
        return [(where, f"${variable} {state}: it must hold the {KIND_LABELS[kind]} URL")]
    if not re.match(r"^https?://[^/?#\s]+", url):
        return [(where, f"${variable} does not hold an http(s) URL")]
    if kind == "discord" and not _DISCORD.match(url):
        text = (
            f"${variable} is not a Discord webhook URL (https://discord.com/api/webhooks/…), "
            "the only kind PostHog's Discord destination calls"
        )
        return [(where, text)]
    if kind == "teams" and not any(p.match(url) for p in _TEAMS):
        text = (
            f"${variable} is not a Microsoft Teams workflow or incoming-webhook URL, the only "
            "kinds PostHog's Teams destination calls"
        )
        return [(where, text)]
    spec["url"] = url_value(url)
    spec["url_env"] = variable
    return []
