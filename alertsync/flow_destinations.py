"""The destinations part of planning: read the live ones (one filtered listing, alongside
the alerts listing), resolve the files' Slack names and URL variables for this project, and
name the Slack channels a plan shows. Only runs whose files declare destinations call the
hog-function and integration APIs at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeGuard, TypeVar

from alertsync.core.desired import DesiredSet
from alertsync.core.dest_export import unmanaged_kinds, url_variables
from alertsync.core.dest_kinds import URL_INPUT
from alertsync.core.dest_resolve import (
    SlackDirectory,
    SlackWorkspace,
    channel_lookups,
    declared,
    resolve_destinations,
)
from alertsync.core.dest_spec import (
    channel_name,
    env_url,
    input_values,
    live_destination,
    live_destinations,
)
from alertsync.edges.posthog.client import PostHogClient
from alertsync.errors import AlertsyncError, ApiError, PermissionDenied
from alertsync.model import Dest, Labels, LiveAlert, LiveDest, Plan, Problem

T = TypeVar("T")


@dataclass
class Routes:
    """What a plan needs of destinations: the desired ones by alert name (alerts that
    declare them), the live ones by alert id, and problems found resolving them."""

    desired: dict[str, list[Dest]] = field(default_factory=dict)
    live: dict[str, list[LiveDest]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    labels: Labels = field(default_factory=Labels)
    workspaces: list[SlackWorkspace] | None = None


def first_declaration(desired: DesiredSet) -> str:
    for _name, where, _raw in declared(desired):
        pos = where.doc.position(("alerts", where.index, "destinations"), key=True)
        return f"{where.doc.file}:{pos.line}:{pos.col}"
    return ""


def saved_listing(
    client: PostHogClient, plan: Plan
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """For a saved plan: the alerts, and the destinations when the plan changes any."""
    if not any(d for c in plan.changes for d in c.destinations if not d.cascade):
        return client.list_alerts(), []
    with ThreadPoolExecutor(1, thread_name_prefix="alertsync-destinations") as pool:
        why = "which the plan changes"
        functions: Future[list[dict[str, Any]]] = pool.submit(client.destinations.list_all, why)
        alerts = client.list_alerts()
        return alerts, functions.result()


def plan_variables(plan: Plan) -> set[str]:
    """The URL variables a plan's destination changes read."""
    return {
        str(spec["url_env"])
        for change in plan.changes
        for route in change.destinations
        for spec in (route.before, route.after)
        if spec and isinstance(spec.get("url_env"), str)
    }


def slack_directory(client: PostHogClient, desired: DesiredSet) -> SlackDirectory:
    """The Slack workspaces and the channels the files name (none when they name none)."""
    directory = SlackDirectory()
    if not _declares_slack(desired):
        return directory
    why = f"to find the Slack workspaces the files name (first at {first_declaration(desired)})"
    directory.workspaces = client.destinations.slack_workspaces(why)
    _look_up_named(client, directory, channel_lookups(desired, directory.workspaces))
    return directory


def _look_up_named(
    client: PostHogClient, directory: SlackDirectory, wanted: set[tuple[int, str]]
) -> None:
    """Find the channels named (workspace, #name) that `directory` has not looked up yet:
    the files' (while the listings are read), then those live destinations hold by name."""
    lookups = sorted(
        item
        for item in wanted
        if item not in directory.channels and item[0] not in directory.refused
    )
    for (workspace, written), found in zip(
        lookups, _each(client, lookups, lambda item: _channel(client, *item)), strict=True
    ):
        if isinstance(found, str):
            directory.refused[workspace] = found
        else:
            directory.channels[(workspace, written)] = found


def keep_url_secrets(client: PostHogClient, desired: DesiredSet, env: Mapping[str, str]) -> None:
    """The URLs the files' variables hold never show in a trace line or a message."""
    for variable in _url_variables(desired):
        client.keep_secret(env_url(env, variable))


def resolve_routes(
    client: PostHogClient,
    desired: DesiredSet,
    functions: list[dict[str, Any]] | None,
    directory: SlackDirectory | None,
    env: Mapping[str, str],
) -> Routes:
    """The destinations of the plan: the files' resolved against `directory` (from
    `slack_directory`), the live ones from `functions` (None: the files declare none)."""
    routes = Routes()
    if functions is None:
        return routes
    routes.live = live_destinations(functions)
    directory = directory or SlackDirectory()
    if _declares_slack(desired):
        routes.workspaces = directory.workspaces
        _look_up_named(client, directory, _named_live_channels(routes.live))
    _channel_ids(routes.live, directory)
    keep_url_secrets(client, desired, env)
    routes.desired, routes.problems, routes.labels = resolve_destinations(desired, env, directory)
    return routes


def _named_live_channels(live: dict[str, list[LiveDest]]) -> set[tuple[int, str]]:
    """Live Slack destinations that hold a channel by name (`#general`: PostHog accepts
    that too): looked up with the files' channels, so they compare by id."""
    return {
        (d.spec["workspace"], str(d.spec["channel"]))
        for dests in live.values()
        for d in dests
        if d.spec.get("type") == "slack"
        and isinstance(d.spec.get("workspace"), int)
        and channel_name(str(d.spec.get("channel"))) is not None
    }


def _channel_ids(live: dict[str, list[LiveDest]], directory: SlackDirectory) -> None:
    for dests in live.values():
        for dest in dests:
            workspace = dest.spec.get("workspace")
            if dest.spec.get("type") != "slack" or not isinstance(workspace, int):
                continue
            found = directory.channels.get((workspace, str(dest.spec.get("channel"))))
            if found is not None:
                dest.spec["channel"] = found.id


def _declares_slack(desired: DesiredSet) -> bool:
    return any(
        isinstance(entry, dict) and entry.get("type") == "slack"
        for _name, _where, raw in declared(desired)
        for entry in raw
    )


def _url_variables(desired: DesiredSet) -> set[str]:
    return {
        str(entry["url_env"])
        for _name, _where, raw in declared(desired)
        for entry in raw
        if isinstance(entry, dict) and isinstance(entry.get("url_env"), str)
    }


def _channel(client: PostHogClient, workspace: int, written: str) -> Any:
    """The channel, None when there is none, or PostHog's reason it cannot be read."""
    try:
        return client.destinations.slack_channel(workspace, written)
    except PermissionDenied:
        raise
    except ApiError as exc:
        if exc.status == 400:  # a revoked connection (slack_integration_inactive), ...
            return exc.body.detail
        raise


def _each(client: PostHogClient, items: list[Any], read: Callable[[Any], Any]) -> list[Any]:
    width = min(client.tuning.concurrency, len(items))
    if width < 2:
        return [read(item) for item in items]
    with ThreadPoolExecutor(width, thread_name_prefix="alertsync-slack") as pool:
        return list(pool.map(read, items))


def name_channels(client: PostHogClient, plan: Plan, routes: Routes) -> None:
    """Names for the Slack workspaces and channels the plan shows that the files did not
    name (a removed destination, a channel being replaced): cosmetic, so a lookup that
    fails leaves the id."""
    wanted: set[tuple[int, str]] = set()
    for change in plan.changes:
        for route in change.destinations:
            for spec in (route.before, route.after):
                if _unnamed_slack(spec, plan.labels):
                    wanted.add((spec["workspace"], str(spec["channel"])))
    if not wanted:
        return
    try:
        workspaces = routes.workspaces
        if workspaces is None:
            workspaces = client.destinations.slack_workspaces("to name Slack workspaces")
    except AlertsyncError:
        return
    plan.labels.workspaces.update({w.id: w.name for w in workspaces})
    known = {w.id for w in workspaces}
    lookups = sorted(item for item in wanted if item[0] in known)

    def look(item: tuple[int, str]) -> Any:
        try:
            return client.destinations.slack_channel(*item)
        except AlertsyncError:
            return None

    for (_workspace, channel_id), found in zip(lookups, _each(client, lookups, look), strict=True):
        if found is not None and not found.hidden:
            plan.labels.channels[channel_id] = found.name


def _unnamed_slack(spec: Dest | None, labels: Labels) -> TypeGuard[Dest]:
    return (
        spec is not None
        and spec.get("type") == "slack"
        and isinstance(spec.get("workspace"), int)
        and str(spec.get("channel")) not in labels.channels
    )


# -- export -------------------------------------------------------------------------------


def export_listing(
    client: PostHogClient,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None, tuple[str, ...]]:
    """The alerts and, when the key may read them, their destinations (read together)."""
    with ThreadPoolExecutor(1, thread_name_prefix="alertsync-destinations") as pool:
        functions = pool.submit(client.destinations.list_all, "to export them")
        alerts = client.list_alerts()
        try:
            return alerts, functions.result(), ()
        except PermissionDenied as exc:
            note = (
                f"destinations were not exported ({exc.body.detail}): the file has no "
                "`destinations` keys, so plan leaves every alert's destinations alone"
            )
            return alerts, None, (note,)


def export_routes(
    client: PostHogClient,
    functions: list[dict[str, Any]] | None,
    owned: set[str],
    labels: Labels,
) -> tuple[dict[str, list[LiveDest]], dict[str, str], dict[str, str]]:
    """The owned alerts' live destinations; the URL variables' values by name; and the
    variables by URL fingerprint. Slack workspaces and channels are named in `labels`."""
    if functions is None:
        return {}, {}, {}
    routes = {k: v for k, v in live_destinations(functions).items() if k in owned}
    in_order = [route for alert_id in sorted(routes) for route in routes[alert_id]]
    variables = url_variables(in_order)
    urls: dict[str, str] = {}
    for function in functions:
        spec = live_destination(function)
        url = input_values(function).get(URL_INPUT.get(str(spec.get("type")), ""))
        if isinstance(url, str) and isinstance(spec.get("url"), dict):
            client.keep_secret(url)
            name = variables.get(spec["url"]["sha256"])
            if name is not None:
                urls[name] = url
    slack = [r.spec for r in in_order if r.spec.get("type") == "slack"]
    if slack:
        name_slack(client, slack, labels)
    return routes, urls, variables


def name_slack(client: PostHogClient, specs: list[Dest], labels: Labels) -> None:
    try:
        workspaces = client.destinations.slack_workspaces("to name Slack workspaces")
    except AlertsyncError:
        return
    labels.workspaces.update({w.id: w.name for w in workspaces})
    known = {w.id for w in workspaces}
    wanted = sorted(
        {(s["workspace"], str(s["channel"])) for s in specs if s.get("workspace") in known}
    )

    def look(item: tuple[int, str]) -> Any:
        try:
            return client.destinations.slack_channel(*item)
        except AlertsyncError:
            return None

    for (_w, channel_id), found in zip(wanted, _each(client, wanted, look), strict=True):
        if found is not None and not found.hidden and found.id == channel_id:
            labels.channels[channel_id] = found.name


def unmanaged_notes(live: list[LiveAlert], routes: dict[str, list[LiveDest]]) -> tuple[str, ...]:
    notes = []
    for alert in sorted(live, key=lambda a: a.name):
        kinds = unmanaged_kinds(routes.get(alert.id, []))
        if kinds:
            notes.append(
                f"alert {alert.name!r} was exported without `destinations`: it has a "
                f"destination of a kind alertsync does not manage ({', '.join(kinds)}), so "
                "its destinations are left alone"
            )
    return tuple(notes)
