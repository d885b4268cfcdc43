"""Choosing and checking the environments of `alertsync.toml`, offline: which
environments a command works on, every environment's files validated (its overrides merged,
see `core.environments`), and each one's desired set. Its own module so that `alertsync
validate` loads neither the PostHog client nor the flow (see `envflow` for the rest).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from alertsync.core.desired import DesiredSet, desired_set
from alertsync.core.environments import alike, check_environments, effective_documents, sharing
from alertsync.edges.projectfile import (
    PROJECT_FILE,
    Environment,
    Project,
    find_project_file,
    load_project,
)
from alertsync.edges.schemas import alerts_check
from alertsync.envfiles import load_inside
from alertsync.errors import ConfigError, InputError
from alertsync.loading import no_gc_pauses, without_spots
from alertsync.model import Document, Problem

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
