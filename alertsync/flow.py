"""The flow, composed: files → documents → problems → desired → live → resolved → plan.

The only place that joins the pure core to the I/O edges (loader and client); the CLI calls
these functions and prints what they return.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

from alertsync.core.desired import DesiredSet, desired_set
from alertsync.core.live import Labels, insight_label, live_alerts
from alertsync.core.plan import Guards, Plan, make_plan
from alertsync.core.resolve import references, resolve
from alertsync.core.validate import iter_alerts, validate_documents
from alertsync.edges.files import Document, discover, load_file
from alertsync.edges.posthog.client import PostHogClient
from alertsync.errors import InputError, Problem


@dataclass(frozen=True)
class Checked:
    """The result of loading and validating the files."""

    files: tuple[str, ...]
    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]

    @property
    def alert_count(self) -> int:
        return sum(1 for _ in iter_alerts(list(self.documents)))


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """Parsing and validating thousands of alerts allocates millions of small objects and no
    cycles worth collecting; the cyclic GC would otherwise rescan them again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check(paths: Sequence[str]) -> Checked:
    with _no_gc_pauses():
        return _check(paths)


def _check(paths: Sequence[str]) -> Checked:
    files, problems = discover(paths)
    if not files and not problems:
        problems.append(Problem(", ".join(paths), 1, 1, "", "no *.yaml or *.yml file found"))
    docs: list[Document] = []
    for path in files:
        loaded = load_file(path)
        if isinstance(loaded, Problem):
            problems.append(loaded)
        else:
            docs.append(loaded)
    problems.extend(validate_documents(docs))
    return Checked(tuple(str(f) for f in files), tuple(docs), tuple(sorted(set(problems))))


def load_desired(paths: Sequence[str]) -> DesiredSet:
    """Validated desired state, or InputError with every problem."""
    checked = check(paths)
    if checked.problems:
        raise InputError(checked.problems)
    return desired_set(list(checked.documents))


def fetch_labels(
    client: PostHogClient, desired: DesiredSet, known: Labels
) -> tuple[dict[str, int], dict[str, int], Labels]:
    """Resolve short ids and emails: first from what the live alerts already carry (their
    insight and subscriber objects), then through the API for the rest only."""
    refs = references(desired)
    labels = Labels()
    insights = {label.short_id: i for i, label in known.insights.items() if label.short_id}
    missing = refs.short_ids - insights.keys()
    for item in client.insights_by_short_id(missing) if missing else []:
        label = insight_label(item)
        if label is not None and label.short_id:
            insights[label.short_id] = label.id
            labels.insights[label.id] = label
    members = {email.lower(): user_id for user_id, email in known.users.items()}
    if refs.emails - members.keys():
        for user_id, email in member_emails(client).items():
            members[email.lower()] = user_id
            labels.users[user_id] = email
    return insights, members, labels


def member_emails(client: PostHogClient) -> dict[int, str]:
    """User id → email, for the organization's members (what an email resolves to)."""
    emails: dict[int, str] = {}
    for member in client.members():
        user = member.get("user") or {}
        if isinstance(user.get("email"), str) and isinstance(user.get("id"), int):
            emails[user["id"]] = user["email"]
    return emails


def build_plan(paths: Sequence[str], client: PostHogClient, guards: Guards) -> Plan:
    desired = load_desired(paths)
    with _no_gc_pauses():  # thousands of live alerts are decoded into small objects too
        live, labels = live_alerts(client.list_alerts())
    insights, members, looked_up = fetch_labels(client, desired, labels)
    resolved, problems = resolve(desired, insights, members, client.conn.project)
    if problems:
        raise InputError(problems)
    labels.merge(looked_up)
    plan = make_plan(resolved, live, desired.prefix, guards, labels)
    return replace(plan, files=desired.files, digest=desired.digest)
