"""What a plan reads from PostHog, as early and as concurrently as the API allows.

* Nothing is read before the files are loaded and valid: files with problems are reported
  (exit 1) with no request sent at all.
* Then the alerts listing starts; each of its pages is made canonical as it arrives. When
  the files declare destinations, their listing and the Slack look-ups (workspaces, then
  the channels the files name) run beside it.
* The insights and members the listing leaves unresolved are looked up together.

When two reads fail, the error reported is the one the serial order would have met first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from alertsync.core.desired import DesiredSet
from alertsync.core.dest_resolve import SlackDirectory
from alertsync.core.live import insight_label, joined
from alertsync.core.resolve import references
from alertsync.edges.posthog.client import PostHogClient
from alertsync.flow_destinations import first_declaration, keep_url_secrets, slack_directory
from alertsync.loading import load_desired, no_gc_pauses
from alertsync.model import Labels, LiveAlert


@dataclass
class PlanReads:
    """What a plan read of the live state."""

    desired: DesiredSet
    live: list[LiveAlert]
    labels: Labels
    functions: list[dict[str, Any]] | None  # the destinations, when the files declare any
    directory: Future[SlackDirectory] | None  # the Slack look-ups, when the files name Slack


def read_for_plan(
    paths: Sequence[str],
    client: PostHogClient,
    env: Mapping[str, str],
    pool: ThreadPoolExecutor,
    loaded: DesiredSet | None = None,
) -> PlanReads:
    """The files' desired state (`loaded`, when the caller has it already) and the live
    state, read together. `pool` runs the Slack look-ups, which the caller collects (after
    the other problems, as before); `env` holds the URL variables, kept out of every message
    before anything about destinations is read."""
    with no_gc_pauses():  # thousands of files' and live alerts' small objects
        desired = loaded if loaded is not None else load_desired(paths)  # problems: no request
        functions: Future[list[dict[str, Any]]] | None = None
        directory: Future[SlackDirectory] | None = None
        try:
            if desired.declares_destinations:
                keep_url_secrets(client, desired, env)
                why = f"which the files declare (first at {first_declaration(desired)})"
                functions = pool.submit(client.destinations.list_all, why)
                directory = pool.submit(slack_directory, client, desired)
            pages = client.live_pages()  # on this thread, beside the destinations' reads
            listed = functions.result() if functions is not None else None
            live, labels = joined(pages)
        except BaseException:
            client.halt()
            raise
    return PlanReads(desired, live, labels, listed, directory)


def fetch_labels(
    client: PostHogClient, desired: DesiredSet, known: Labels
) -> tuple[dict[str, int], dict[str, int], Labels]:
    """Resolve short ids and emails: first from what the live alerts already carry (their
    insight and subscriber objects), then through the API for the rest only, the insight
    and member look-ups at the same time."""
    refs = references(desired)
    labels = Labels()
    insights = {label.short_id: i for i, label in known.insights.items() if label.short_id}
    missing = refs.short_ids - insights.keys()
    unread = {i for i in refs.insight_ids if i not in known.insights}
    members = {email.lower(): user_id for user_id, email in known.users.items()}
    reads: dict[str, Callable[[], Any]] = {}
    if missing:
        reads["short ids"] = lambda: client.insights_by_short_id(missing)
    if unread:
        reads["ids"] = lambda: client.insights_by_id(unread)
    if refs.emails - members.keys():
        reads["members"] = lambda: member_emails(client)
    found = dict(zip(reads, together(client, list(reads.values())), strict=True))
    emails: dict[int, str] = found.get("members", {})
    for item in [*found.get("short ids", []), *found.get("ids", [])]:
        label = insight_label(item)
        if label is not None:
            labels.insights[label.id] = label
            if label.short_id:
                insights[label.short_id] = label.id
    for user_id, email in emails.items():
        members[email.lower()] = user_id
        labels.users[user_id] = email
    return insights, members, labels


def together(client: PostHogClient, reads: list[Callable[[], Any]]) -> list[Any]:
    """Each read's answer, in order, the reads running at the same time. The error raised
    is the first read's in order, as if they had run one after the other."""
    if len(reads) < 2 or client.tuning.concurrency < 2:
        return [read() for read in reads]
    with ThreadPoolExecutor(len(reads), thread_name_prefix="alertsync-lookups") as pool:
        started = [pool.submit(read) for read in reads]
        try:
            return [future.result() for future in started]
        except BaseException:
            client.halt()
            raise


def member_emails(client: PostHogClient) -> dict[int, str]:
    """User id → email, for the organization's members (what an email resolves to)."""
    emails: dict[int, str] = {}
    for member in client.members():
        user = member.get("user") or {}
        if isinstance(user.get("email"), str) and isinstance(user.get("id"), int):
            emails[user["id"]] = user["email"]
    return emails
