"""Loading and validating the alert files: every problem at once, nothing sent anywhere.

The first step of every use case (see `flow`): files under PATHS are found, read as YAML with
positions, and validated together; a desired set is built only from files without problems.
Its own module so that `alertsync validate` loads neither the PostHog client nor httpx.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from alertsync.core.desired import DesiredSet, desired_set
from alertsync.core.environments import environment_problems
from alertsync.core.validate import iter_alerts, validate_documents
from alertsync.edges.files import discover, load_file
from alertsync.edges.projectfile import PROJECT_FILE
from alertsync.edges.schemas import alerts_check
from alertsync.errors import InputError
from alertsync.model import Document, Problem


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
def no_gc_pauses() -> Iterator[None]:
    """Parsing and validating thousands of alerts allocates millions of small objects and no
    cycles worth collecting; the cyclic GC would otherwise rescan them again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(paths: Sequence[str]) -> Checked:
    """Every file under `paths`, read (not yet validated): its documents, and the problems
    of reading them (a missing file, bad YAML, duplicate keys, ...)."""
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
    problems += [p for doc in docs for p in doc.problems]
    return Checked(tuple(str(f) for f in files), tuple(docs), tuple(problems))


def without_spots(found: Sequence[Problem], known: Sequence[Problem]) -> list[Problem]:
    """`found`, less the problems at a place `known` already has one for."""
    spots = {(p.file, p.line, p.col) for p in known}
    return [p for p in found if (p.file, p.line, p.col) not in spots]


def check(paths: Sequence[str]) -> Checked:
    """Load every file under `paths` and validate them together (nothing is sent).
    Without a project file, no alert may name environments."""
    with no_gc_pauses():
        loaded = load(paths)
        docs = list(loaded.documents)
        validated = validate_documents(docs, alerts_check())
        validated += environment_problems(docs, None, PROJECT_FILE)
        problems = [*loaded.problems, *without_spots(validated, loaded.problems)]
        return Checked(loaded.files, loaded.documents, tuple(sorted(set(problems))))


def load_desired(paths: Sequence[str]) -> DesiredSet:
    """Validated desired state, or InputError with every problem."""
    checked = check(paths)
    if checked.problems:
        raise InputError(checked.problems)
    return desired_set(list(checked.documents))
