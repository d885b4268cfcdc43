"""The use cases, composed: plan, apply from files, apply a saved plan, export.

The only place that joins the pure core to the edges (files, saved plans, the PostHog
client). Every function returns values and prints nothing; what a person should see on
the way (the plan before the prompt, each result as it is known) goes through the hooks
the caller passes in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path

from alertsync.apply import apply_plan
from alertsync.core.desired import DesiredSet
from alertsync.core.dest_spec import env_url, live_destinations
from alertsync.core.duplicates import split_scope
from alertsync.core.export import export_document
from alertsync.core.live import live_alerts
from alertsync.core.plan import check_deletes, make_plan
from alertsync.core.planid import matches, plan_digest, plan_id, short_id
from alertsync.core.resolve import resolve
from alertsync.core.staleness import moved_urls, stale_checker
from alertsync.edges.files import export_text
from alertsync.edges.planfile import read_plan_file
from alertsync.edges.posthog.client import PostHogClient, Trace
from alertsync.edges.posthog.ratelimit import SharedLimits
from alertsync.edges.posthog.settings import (
    HOST_ENV,
    KEY_ENV,
    PROJECT_ENV,
    Connection,
    Tuning,
    connection,
)
from alertsync.errors import ConfigError, InputError, PlanRefused
from alertsync.flow_destinations import (
    export_listing,
    export_routes,
    name_channels,
    plan_variables,
    resolve_routes,
    saved_listing,
    unmanaged_notes,
)
from alertsync.flow_reads import fetch_labels, member_emails, read_for_plan
from alertsync.model import (
    Guards,
    Labels,
    Plan,
    Result,
    SavedPlan,
    StopSignal,
    Target,
)

# -- connecting ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Remote:
    """How to reach PostHog: the options as given, the environment the key comes from, and
    where the debug trace and the listing's progress go. An environment of alertsync.toml
    names the variable its key is read from (`key_env`), and runs that share a key share
    its rate limits (`limits`); `flags` are the target options given on the command line."""

    host: str | None
    project: str | None
    env: Mapping[str, str]
    tuning: Tuning = field(default_factory=Tuning)
    trace: Trace | None = None
    on_page: Callable[[int, int], None] | None = None
    on_wait: Callable[[float], None] | None = None  # a wait for the client-side rate limit
    key_env: str = KEY_ENV
    limits: SharedLimits | None = None
    flags: tuple[str, ...] = ()

    def connect(self) -> Connection:
        return connection(self.host, self.project, self.env, self.key_env)

    def client(self, conn: Connection, stop: StopSignal | None = None) -> PostHogClient:
        if self.trace is not None:
            t = self.tuning
            self.trace(
                f"PostHog at {conn.host}, project {conn.project}, key from {self.key_env} "
                f"(never shown); timeout {t.timeout:g} s, retry budget {t.max_retry_time:g} s, "
                f"rate limit {t.rate_limit or 'off'}/minute"
            )
        return PostHogClient(
            conn,
            self.tuning,
            env=self.env,
            trace=self.trace,
            stop=stop,
            on_page=self.on_page,
            on_wait=self.on_wait,
            limits=self.limits,
        )


def target_of(conn: Connection) -> Target:
    return Target(conn.host, conn.project)


# -- plan ---------------------------------------------------------------------------------


def build_plan(
    paths: Sequence[str],
    client: PostHogClient,
    guards: Guards,
    env: Mapping[str, str],
    desired: DesiredSet | None = None,
) -> Plan:
    """The plan for the files (or a desired set already loaded) against the client's
    project (deletion guards not yet checked: see `check_deletes`). `env` holds the
    destinations' URL variables. Nothing is read before the files are valid; then the
    live state's reads run together (see `flow_reads`)."""
    with ThreadPoolExecutor(2, thread_name_prefix="alertsync-destinations") as pool:
        read = read_for_plan(paths, client, env, pool, desired)
        desired, labels = read.desired, read.labels
        try:
            insights, members, looked_up = fetch_labels(client, desired, labels)
        except BaseException:
            client.halt()  # the Slack look-ups still running send nothing more
            raise
        labels.merge(looked_up)
        resolved, problems = resolve(desired, insights, members, client.conn.project, labels)
        directory = read.directory.result() if read.directory is not None else None
    routes = resolve_routes(client, desired, read.functions, directory, env)
    if problems or routes.problems:
        raise InputError(sorted(problems + routes.problems))
    labels.merge(routes.labels)
    live_dests = routes.live if read.functions is not None else None
    plan = make_plan(
        resolved, read.live, desired.prefix, guards, labels, routes.desired, live_dests
    )
    name_channels(client, plan, routes)
    return replace(plan, files=desired.files, digest=desired.digest)


def plan(
    paths: Sequence[str], remote: Remote, guards: Guards, desired: DesiredSet | None = None
) -> tuple[Plan, Target]:
    """The plan, refused (MassDeleteRefused, carrying it) when it deletes too much."""
    conn = remote.connect()
    with remote.client(conn) as client:
        the_plan = build_plan(paths, client, guards, remote.env, desired)
    check_deletes(the_plan, guards)
    return the_plan, target_of(conn)


# -- apply --------------------------------------------------------------------------------


def _nothing(plan: Plan, target: Target | None) -> None:
    return None


@dataclass(frozen=True)
class ApplyHooks:
    """What the caller sees and decides while an apply runs."""

    review: Callable[[Plan, Target | None], None] = _nothing  # the plan, before any write
    approve: Callable[[Plan, Target], None] = _nothing  # raises Cancelled to stop
    start: Callable[[Plan], None] = lambda plan: None  # writing begins
    on_result: Callable[[Result], None] | None = None  # each result, in plan order
    signals: Callable[[], AbstractContextManager[object]] = nullcontext  # while writing
    reviewed: Callable[[], bool] = lambda: False  # whether review has shown the plan


@dataclass(frozen=True)
class Applied:
    results: list[Result]
    target: Target
    plan_id: str
    labels: Labels = field(default_factory=Labels)  # names for the ids the results show


def _expected(plan: Plan, target: Target, expect_id: str | None) -> None:
    """Refuse, before anything is written, a plan other than the one a reviewer approved."""
    digest = plan_digest(plan, target)
    if expect_id is not None and not matches(expect_id, digest):
        raise PlanRefused(
            f"this plan's id is {short_id(digest)}, not {expect_id.strip()} as expected "
            "(--expect-id): it is not the plan that was reviewed. Nothing was applied; "
            "review this plan instead."
        )


def apply_files(
    paths: Sequence[str],
    remote: Remote,
    guards: Guards,
    stop: StopSignal,
    hooks: ApplyHooks,
    expect_id: str | None = None,
    desired: DesiredSet | None = None,
) -> Applied:
    """Plan from the files, show it, check the guards and the expected id, ask, then apply."""
    conn = remote.connect()
    target = target_of(conn)
    with remote.client(conn, stop) as client:
        the_plan = build_plan(paths, client, guards, remote.env, desired)
        hooks.review(the_plan, target)
        check_deletes(the_plan, guards)
        _expected(the_plan, target, expect_id)
        if the_plan.empty:
            return Applied([], target, plan_id(the_plan, target), the_plan.labels)
        hooks.approve(the_plan, target)
        hooks.start(the_plan)
        with hooks.signals():
            results = apply_plan(
                the_plan,
                client,
                hooks.on_result,
                stop=stop.reason,
                concurrency=client.tuning.concurrency,
            )
        return Applied(results, target, plan_id(the_plan, target), the_plan.labels)


def read_saved_plan(path: Path, remote: Remote) -> tuple[SavedPlan, Connection]:
    """A saved plan and the connection to apply it with. The target comes from the command
    line, the environment or the default, never from the file: a plan made for another host
    or project is refused before any request."""
    saved = read_plan_file(path)
    return saved, checked_target(saved, str(path), remote)


def checked_target(
    saved: SavedPlan, source: str, remote: Remote, configured: str = ""
) -> Connection:
    """The connection `remote` names, if the saved plan was made for it; refused otherwise
    (`configured` says where the target comes from, for the message)."""
    conn = remote.connect()
    if (conn.host, conn.project) != (saved.target.host, saved.target.project):
        where = configured or f"from --host/--project, {HOST_ENV}/{PROJECT_ENV} or the default"
        raise ConfigError(
            f"{source} was planned for project {saved.target.project} at {saved.target.host}, "
            f"not project {conn.project} at {conn.host} ({where}); refusing to apply it here"
        )
    return conn


def apply_saved(
    path: Path,
    remote: Remote,
    guards: Guards,
    stop: StopSignal,
    hooks: ApplyHooks,
    expect_id: str | None = None,
) -> Applied:
    """Apply exactly a saved plan: its guards (widened by the flags) checked again, and
    each change refused as stale when its live alert moved since the plan."""
    saved, conn = read_saved_plan(path, remote)
    return apply_saved_plan(saved, conn, remote, guards, stop, hooks, expect_id)


def apply_saved_plan(
    saved: SavedPlan,
    conn: Connection,
    remote: Remote,
    guards: Guards,
    stop: StopSignal,
    hooks: ApplyHooks,
    expect_id: str | None = None,
) -> Applied:
    """Apply a saved plan already read, on the connection its target was checked against
    (see `checked_target`)."""
    target = target_of(conn)
    _expected(saved.plan, target, expect_id)
    check_deletes(saved.plan, saved.guards.widened(guards))
    moved = moved_urls(saved.plan, remote.env)
    if moved:
        raise PlanRefused(
            f"{', '.join('$' + v for v in moved)} no longer hold(s) the URL this plan was made "
            "with (its fingerprint differs, or it is unset). Nothing was applied; set the "
            "variable as it was, or plan again."
        )
    with remote.client(conn, stop) as client:
        for variable in plan_variables(saved.plan):
            client.keep_secret(env_url(remote.env, variable))
        raw, functions = saved_listing(client, saved.plan)
        live, labels = live_alerts(raw)
        plan = _relabelled(saved.plan, labels)
        hooks.review(plan, target)
        checker = stale_checker(live, live_destinations(functions))
        hooks.start(plan)
        with hooks.signals():
            results = apply_plan(
                plan,
                client,
                hooks.on_result,
                checker,
                stop=stop.reason,
                concurrency=client.tuning.concurrency,
            )
        return Applied(results, target, plan_id(plan, target), plan.labels)


def _relabelled(plan: Plan, live: Labels) -> Plan:
    """Names for the ids a saved plan shows: what PostHog says now wins over the file's."""
    labels = Labels(dict(plan.labels.insights), dict(plan.labels.users))
    labels.merge(live)
    return replace(plan, labels=labels)


# -- export -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    """An export: the file's text, how many alerts it holds, the values of the URL
    variables it names (for an owner-only env file, never a terminal), and what the user
    should know (destinations left out)."""

    text: str
    count: int
    urls: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def export(remote: Remote, prefix: str | None, schema_url: str) -> Exported:
    """The live alerts in scope, with their destinations when the key can read them."""
    conn = remote.connect()
    with remote.client(conn) as client:
        raw, functions, notes = export_listing(client)
        live, labels = live_alerts(raw)
        emails = member_emails(client) if any(a.spec["subscribed_users"] for a in live) else {}
        owned = {a.id for a in split_scope(live, prefix).owned.values()}
        routes, urls, found = export_routes(client, functions, owned, labels)
    document = export_document(live, labels, emails, prefix, routes, found)
    notes += unmanaged_notes(live, routes)
    text = export_text(document, schema_url)
    return Exported(text, len(document["alerts"]), urls, notes)
