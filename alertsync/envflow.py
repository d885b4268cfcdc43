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

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from alertsync import flow
from alertsync.core.desired import DesiredSet, desired_set
from alertsync.core.environments import (
    alike,
    check_environments,
    effective_documents,
    in_environments,
    sharing,
)
from alertsync.core.plan import check_deletes
from alertsync.core.planid import matches, short_id
from alertsync.edges.envplanfile import SavedPlans, read_saved
from alertsync.edges.posthog.ratelimit import SharedLimits
from alertsync.edges.posthog.settings import HOST_ENV, PROJECT_ENV
from alertsync.edges.projectfile import (
    PROJECT_FILE,
    Environment,
    Project,
    find_project_file,
    load_project,
)
from alertsync.edges.schemas import alerts_check
from alertsync.envfiles import load_inside
from alertsync.errors import AlertsyncError, ConfigError, InputError, PlanRefused
from alertsync.loading import no_gc_pauses, without_spots
from alertsync.model import (
    Document,
    EnvironmentPlan,
    EnvironmentReport,
    Guards,
    Plan,
    Problem,
    SavedPlan,
    StopSignal,
    Target,
)

# -- choosing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """What the command line says about environments."""

    config: str | None = None  # --config: the project file
    env: str | None = None  # --env NAME
    all_envs: bool = False  # --all-envs


@dataclass(frozen=True)
class Setup:
    """The project file, the environments a command works on, and the PATHS given on the
    command line (empty: each environment's own `paths`)."""

    project: Project
    names: tuple[str, ...]
    paths: tuple[str, ...] = ()

    def environment(self, name: str) -> Environment:
        return self.project.environment(name)

    def paths_of(self, name: str) -> tuple[str, ...]:
        return self.paths or self.project.environments[name].paths

    @property
    def single(self) -> str:
        """The one environment chosen (only for commands that work on one)."""
        (name,) = self.names
        return name


def open_project(config: str | None, cwd: Path | None = None) -> Project | None:
    """The project file named by --config, or found from `cwd`; None without one."""
    here = cwd or Path.cwd()
    if config is not None:
        path = Path(config)
        if not path.is_file():
            raise ConfigError(f"--config {config}: no such file")
    else:
        found = find_project_file(here)
        if found is None:
            return None
        path = found
    return load_project(path, here)


def choose(
    choice: Choice,
    paths: Sequence[str],
    *,
    every: bool = False,
    hint: str = "",
    cwd: Path | None = None,
) -> Setup | None:
    """The environments to work on, or None without a project file (as before it).
    `every`: without --env, all of them (validate, a saved plan of several); `hint`: what
    else the command offers when it needs one environment and none was chosen."""
    project = open_project(choice.config, cwd)
    if project is None:
        if choice.env is not None or choice.all_envs:
            flag = "--env" if choice.env is not None else "--all-envs"
            raise ConfigError(
                f"{flag} needs environments, but there is no {PROJECT_FILE} in "
                f"{cwd or Path.cwd()} or above it (up to the repository root); create one, "
                "or name it with --config"
            )
        return None
    if choice.env is not None and choice.all_envs:
        raise ConfigError("--env and --all-envs cannot be given together")
    if choice.env is not None:
        names: tuple[str, ...] = (project.environment(choice.env).name,)
    elif choice.all_envs or every or len(project.names) == 1:
        names = project.names
    else:
        raise ConfigError(
            f"{project.file} defines {len(project.names)} environments "
            f"({', '.join(project.names)}): choose one with --env NAME{hint}"
        )
    return Setup(project, names, tuple(paths))


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


# -- validate -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """Every environment's files, checked: the files read, each environment's effective
    documents, and every problem."""

    files: tuple[str, ...]
    documents: dict[str, tuple[Document, ...]]
    problems: tuple[Problem, ...]

    def alert_count(self, name: str) -> int:
        return sum(
            len(doc.data.get("alerts") or []) if isinstance(doc.data, dict) else 0
            for doc in self.documents[name]
        )


def check(setup: Setup) -> Checked:
    """Validate every environment of the project (whichever a command works on), offline."""
    project = setup.project
    groups: dict[tuple[str, ...], list[str]] = {}
    for name in project.names:
        groups.setdefault(setup.paths_of(name), []).append(name)
    files: list[str] = []
    documents: dict[str, tuple[Document, ...]] = {}
    problems: list[Problem] = []
    with no_gc_pauses():
        for paths, names in groups.items():
            loaded = load_inside(paths, None if setup.paths else project.root)
            docs = list(loaded.documents)
            found = check_environments(docs, alerts_check(), names, project.names, project.file)
            problems += [*loaded.problems, *without_spots(found, loaded.problems)]
            files += [f for f in loaded.files if f not in files]
            for group in alike(docs, names):  # alike environments share their documents
                shared = tuple(effective_documents(docs, group[0]))
                documents.update({n: shared for n in group})
    targets = {n: (e.host, e.project, e.at) for n, e in project.environments.items()}
    clash = sharing(targets, documents, project.file)
    if clash is not None and not problems:  # the scopes of invalid files are not known
        problems.append(clash)
    return Checked(tuple(files), documents, tuple(sorted(set(problems))))


def load_desired(setup: Setup) -> dict[str, DesiredSet]:
    """Each chosen environment's desired set, or InputError with every problem of every
    environment (before anything is sent anywhere)."""
    checked = check(setup)
    if checked.problems:
        raise InputError(checked.problems)
    built: dict[int, DesiredSet] = {}  # environments that share their documents share this
    for name in setup.names:
        documents = checked.documents[name]
        if id(documents) not in built:
            built[id(documents)] = desired_set(list(documents))
    return {name: built[id(checked.documents[name])] for name in setup.names}


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
