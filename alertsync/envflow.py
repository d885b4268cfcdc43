"""The use cases for several PostHog projects: the environments of `alertsync.toml`.

One set of alert files serves every environment; each environment's effective alerts (the
files with its overrides merged, see `core.environments`) go through the flow of one
project (`flow`): resolve per project, plan, apply. Every environment is validated before
anything is sent anywhere. Environments are planned together, at most `--concurrency` at
once, and every client of a run that uses one key shares that key's rate limits and its
requests in flight (`SharedLimits`): PostHog counts per key.

Like `flow`, it returns values and prints nothing; what a person sees on the way goes
through the hooks.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from alertsync import flow
from alertsync.core.environments import (
    in_environments,
)
from alertsync.core.plan import check_deletes
from alertsync.core.planid import matches, short_id
from alertsync.edges.envplanfile import SavedPlans, read_saved
from alertsync.edges.posthog.ratelimit import SharedLimits
from alertsync.edges.posthog.settings import HOST_ENV, PROJECT_ENV
from alertsync.edges.projectfile import (
    PROJECT_FILE,
    Environment,
)
from alertsync.envsetup import Checked as Checked
from alertsync.envsetup import Choice as Choice
from alertsync.envsetup import Setup as Setup
from alertsync.envsetup import check as check
from alertsync.envsetup import choose as choose
from alertsync.envsetup import load_desired as load_desired
from alertsync.envsetup import open_project as open_project
from alertsync.errors import AlertsyncError, ConfigError, InputError, PlanRefused
from alertsync.model import (
    EnvironmentPlan,
    EnvironmentReport,
    Guards,
    Plan,
    SavedPlan,
    StopSignal,
    Target,
)


def remote_for(
    base: flow.Remote, env: Environment, limits: SharedLimits | None = None, label: bool = False
) -> flow.Remote:
    """How to reach one environment: its host, project and key variable, with the run's
    tuning; `label` marks its trace lines with its name (environments run together)."""
    if base.flags:
        given = "/".join(f"--{flag}" for flag in base.flags)
        raise ConfigError(
            f"{given} cannot be combined with the environments of {PROJECT_FILE}: each "
            f"environment's host and project come from it (and {HOST_ENV}/{PROJECT_ENV} are "
            "not read); choose one with --env NAME"
        )
    trace = base.trace
    if trace is not None and label:
        outer = trace

        def trace(line: str) -> None:
            outer(f"[{env.name}] {line}")

    return replace(
        base,
        host=env.host,
        project=env.project,
        key_env=env.key_env,
        limits=limits,
        trace=trace,
        on_page=None if label else base.on_page,
    )


def target_of(env: Environment) -> Target:
    return Target(env.host, env.project)


def _named(exc: InputError, name: str) -> InputError:
    """The problems (say, a short id no insight of this project has) naming the
    environment they were found in."""
    return InputError([in_environments(p, [name]) for p in exc.problems])


# -- plan ---------------------------------------------------------------------------------


def plan_one(setup: Setup, remote: flow.Remote, guards: Guards) -> tuple[Plan, Target]:
    """The plan of the one environment chosen."""
    name = setup.single
    desired = load_desired(setup)[name]
    try:
        return flow.plan((), remote_for(remote, setup.environment(name)), guards, desired)
    except InputError as exc:
        raise _named(exc, name) from None


def plan_all(setup: Setup, remote: flow.Remote, guards: Guards) -> list[EnvironmentPlan]:
    """Every chosen environment's plan, planned together (at most --concurrency at once);
    an environment that fails is reported with its error and hides no other."""
    desired = load_desired(setup)
    tuning = remote.tuning
    limits = SharedLimits(tuning.rate_limit, tuning.concurrency)

    def one(name: str) -> EnvironmentPlan:
        env = setup.environment(name)
        try:
            planned, target = flow.plan(
                (), remote_for(remote, env, limits, label=True), guards, desired[name]
            )
        except InputError as exc:
            problems = _named(exc, name).problems
            error = f"{len(problems)} problem(s) in the alert files for this environment"
            return EnvironmentPlan(name, target_of(env), None, error, problems)
        except AlertsyncError as exc:
            return EnvironmentPlan(name, target_of(env), None, str(exc))
        return EnvironmentPlan(name, target, planned)

    workers = max(1, min(len(setup.names), tuning.concurrency))
    with ThreadPoolExecutor(workers, thread_name_prefix="environment") as pool:
        return list(pool.map(one, setup.names))


# -- apply --------------------------------------------------------------------------------


def apply_files(
    setup: Setup,
    remote: flow.Remote,
    guards: Guards,
    stop: StopSignal,
    hooks: flow.ApplyHooks,
    expect_id: str | None = None,
) -> flow.Applied:
    """Plan the one environment chosen from the files, show it, ask, then apply it."""
    name = setup.single
    desired = load_desired(setup)[name]
    env_remote = remote_for(remote, setup.environment(name))
    try:
        return flow.apply_files((), env_remote, guards, stop, hooks, expect_id, desired)
    except InputError as exc:
        raise _named(exc, name) from None


OnEnvironment = Callable[[str, Target], None]


def apply_saved(
    path: Path,
    setup: Setup,
    choice: Choice,
    remote: flow.Remote,
    guards: Guards,
    stop: StopSignal,
    hooks: flow.ApplyHooks,
    expect_id: str | None = None,
    on_environment: OnEnvironment = lambda name, target: None,
) -> list[EnvironmentReport]:
    """Apply a saved plan: each environment's part against the target alertsync.toml
    gives it (every part's target checked before any request), one environment after
    another, with each part's stale checks; with --env, that part only."""
    saved = read_saved(path)
    parts, whole = _parts(saved, choice, setup, str(path))
    if expect_id is not None and whole is not None and not matches(expect_id, whole):
        raise PlanRefused(
            f"this plan's id is {short_id(whole)}, not {expect_id.strip()} as expected "
            "(--expect-id): it is not the plan that was reviewed. Nothing was applied; "
            "review this plan instead."
        )
    limits = SharedLimits(remote.tuning.rate_limit, remote.tuning.concurrency, sleep=stop.sleep)
    ready = []
    for name, part in parts.items():  # every part checked before any request
        env_remote = remote_for(remote, setup.environment(name), limits)
        where = f"environment {name} of {setup.project.file}"
        conn = flow.checked_target(part, str(path), env_remote, where)
        check_deletes(part.plan, part.guards.widened(guards))
        ready.append((name, part, env_remote, conn))
    expected = expect_id if whole is None else None
    reports: list[EnvironmentReport] = []
    with hooks.signals():  # Ctrl-C between two environments: the rest are not applied
        for name, part, env_remote, conn in ready:
            target = flow.target_of(conn)
            if stop.requested:
                reports.append(
                    EnvironmentReport(name, target, error=f"not applied: {stop.reason()}")
                )
                continue
            on_environment(name, target)
            try:
                applied = flow.apply_saved_plan(
                    part, conn, env_remote, guards, stop, hooks, expected
                )
            except AlertsyncError as exc:
                if len(ready) == 1:
                    raise  # one environment: its error is the command's, as without them
                reports.append(EnvironmentReport(name, target, error=str(exc)))
                continue
            reports.append(EnvironmentReport(name, target, tuple(applied.results), applied.plan_id))
    return reports


def _parts(
    saved: SavedPlan | SavedPlans, choice: Choice, setup: Setup, source: str
) -> tuple[dict[str, SavedPlan], str | None]:
    """The parts to apply, by environment, and the digest --expect-id is compared with
    (None: each part's own)."""
    if isinstance(saved, SavedPlans):
        if choice.env is None:
            return saved.plans, saved.digest
        if choice.env not in saved.plans:
            raise ConfigError(
                f"{source} has no plan for environment {choice.env!r} (it has "
                f"{', '.join(saved.plans)})"
            )
        return {choice.env: saved.plans[choice.env]}, None
    name = saved.environment
    if name is None:
        if len(setup.names) != 1:
            raise ConfigError(
                f"{source} was made without an environment (no {PROJECT_FILE}); choose the "
                "environment it is for with --env NAME"
            )
        name = setup.names[0]
    elif choice.env is not None and choice.env != name:
        raise ConfigError(
            f"{source} was planned for environment {name!r}, not {choice.env!r} (--env); "
            "refusing to apply it there"
        )
    return {name: saved}, None


# -- export -------------------------------------------------------------------------------


def export(setup: Setup, remote: flow.Remote, prefix: str | None, schema_url: str) -> flow.Exported:
    """The live alerts of the one environment chosen, as an alerts file."""
    return flow.export(chosen_remote(setup, remote), prefix, schema_url)


def chosen_remote(setup: Setup, remote: flow.Remote) -> flow.Remote:
    """How to reach the one environment chosen (for commands on one project's live
    alerts: export, test-delivery)."""
    return remote_for(remote, setup.environment(setup.single))
