"""The values that cross layers: problems and documents, alerts, changes, plans and results.

Plain data only: nothing here reads a file, talks to PostHog or prints. The core computes
these values, the edges read and write them, the renderers turn them into text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Canonical = dict[str, Any]  # an alert in the API's write shape, normalised (core.canonical)
Dest = dict[str, Any]  # a destination, file-shaped with ids and URL fingerprints (core.dest_spec)
PathKey = tuple[str | int, ...]


# -- where things are in the files --------------------------------------------------------


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in an alert file, addressed as file:line:col and a field path."""

    file: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}:{self.col}: {where}{self.message}"


@dataclass(frozen=True)
class Position:
    line: int
    col: int


Locate = Callable[[PathKey, bool], Position]  # (path, key?) → where it is in the file


def _nowhere(path: PathKey, key: bool) -> Position:
    return Position(1, 1)


Origin = Callable[[PathKey], PathKey]  # a path of derived data → where it is in the file


@dataclass(frozen=True)
class Document:
    """One parsed file: its data and digest; `locate` finds a field's line and column (the
    file edge supplies it, and looks positions up only when a problem needs one).

    A document derived from a file (one environment's effective alerts, see
    core.environments) has an `origin`: where each of its paths is written in the file."""

    file: str
    data: Any
    sha256: str = ""
    locate: Locate = field(default=_nowhere, repr=False, compare=False)
    problems: tuple[Problem, ...] = ()  # found while reading it (duplicate keys, tags, ...)
    origin: Origin | None = field(default=None, repr=False, compare=False)

    def source(self, path: Iterable[str | int]) -> PathKey:
        """Where `path` of this document's data is written in its file."""
        found = tuple(path)
        return found if self.origin is None else self.origin(found)

    def position(self, path: Iterable[str | int], *, key: bool = False) -> Position:
        """The position of `path` (its key, with key=True), or of its nearest ancestor."""
        return self.locate(self.source(path), key)

    def problem(self, path: Iterable[str | int], message: str, *, key: bool = False) -> Problem:
        """A problem at `path`, addressed where it is written in the file."""
        written = self.source(path)
        pos = self.locate(written, key)
        return Problem(self.file, pos.line, pos.col, dotted(written), message)


def dotted(path: Iterable[str | int]) -> str:
    """`("alerts", 0, "threshold")` → `alerts[0].threshold`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# -- the live side ------------------------------------------------------------------------


@dataclass(frozen=True)
class InsightFacts:
    """What PostHog's alert rules read of an insight's query (core.insights)."""

    kind: str | None  # TrendsQuery, HogQLQuery, FunnelsQuery, MetricsQuery, ...
    display: str | None = None  # trends: ActionsLineGraph, BoldNumber, ...
    series: int = 0  # trends: series or formulas; funnels: steps
    interval: str = "day"
    funnel_viz: str | None = None  # funnels: steps, trends, time_to_convert, ...


@dataclass(frozen=True)
class InsightLabel:
    id: int
    short_id: str | None
    name: str | None
    facts: InsightFacts | None = None  # None: the query was not read
    series: tuple[str, ...] = ()  # a trends insight's series names, by series_index


@dataclass
class Labels:
    """What a reviewer recognises: insight short ids and names, member emails."""

    insights: dict[int, InsightLabel] = field(default_factory=dict)
    users: dict[int, str] = field(default_factory=dict)
    workspaces: dict[int, str] = field(default_factory=dict)  # Slack integration id → name
    channels: dict[str, str] = field(default_factory=dict)  # Slack channel id → name (no #)

    def merge(self, other: Labels) -> None:
        self.insights.update(other.insights)
        self.users.update(other.users)
        self.workspaces.update(other.workspaces)
        self.channels.update(other.channels)


@dataclass(frozen=True)
class LiveAlert:
    id: str
    spec: Canonical
    created_at: str = ""  # as PostHog wrote it (ISO 8601, UTC): sorts oldest first

    @property
    def name(self) -> str:
        return str(self.spec["name"])


@dataclass(frozen=True)
class LiveDest:
    """One destination of a live alert: a hog function filtered on the alert's id."""

    id: str
    alert_id: str
    spec: Dest
    name: str = ""
    created_at: str = ""


# -- changes and plans --------------------------------------------------------------------


class _Absent:
    """A value that is not there (a key added or removed), as opposed to null."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Any = _Absent()

Action = Literal["create", "update", "delete"]
ACTIONS: tuple[Action, ...] = ("create", "update", "delete")
ACTION_ORDER: dict[str, int] = {"create": 0, "update": 1, "delete": 2}
DEFAULT_MAX_DELETES = 10


@dataclass(frozen=True)
class FieldChange:
    path: str  # dotted, e.g. "threshold.configuration.bounds.lower"
    old: Any
    new: Any


@dataclass(frozen=True)
class DestChange:
    """A destination of an alert added, changed or removed. `cascade`: it goes with its
    deleted alert (PostHog removes it; nothing is sent for it)."""

    action: Action
    kind: str
    dest_id: str | None
    before: Dest | None
    after: Dest | None
    details: tuple[FieldChange, ...] = ()
    cascade: bool = False


@dataclass(frozen=True)
class Change:
    action: Action
    name: str
    alert_id: str | None
    before: Canonical | None
    after: Canonical | None
    details: tuple[FieldChange, ...] = ()
    body: dict[str, Any] | None = None
    reset_notes: tuple[str, ...] = ()  # what PostHog does to the firing state (updates)
    destinations: tuple[DestChange, ...] = ()  # the alert's destinations, after the alert

    @property
    def sends_alert(self) -> bool:
        """Whether the alert itself is written (an update may change destinations only)."""
        return self.action != "update" or bool(self.details)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d.path.split(".")[0] for d in self.details))

    @property
    def resets_state(self) -> bool:
        return bool(self.reset_notes)


@dataclass(frozen=True)
class Plan:
    changes: tuple[Change, ...]
    in_scope: int
    out_of_scope: int
    prefix: str | None
    labels: Labels = field(default_factory=Labels)
    files: tuple[str, ...] = ()
    digest: str = ""  # of the input files (see core.desired.digest)
    copy_of: dict[str, str] = field(default_factory=dict)  # deleted duplicate id → kept id
    destinations_read: bool = False  # the live destinations were read (files declare some)

    def count(self, action: Action) -> int:
        return sum(1 for c in self.changes if c.action == action)

    def count_destinations(self, action: Action) -> int:
        """Destination changes that are sent (not those going with a deleted alert)."""
        return sum(
            1 for c in self.changes for d in c.destinations if d.action == action and not d.cascade
        )

    @property
    def empty(self) -> bool:
        return not self.changes

    @property
    def deletes(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.action == "delete")

    @property
    def deletes_everything(self) -> bool:
        """Every live alert in scope goes and nothing is created or updated: the desired
        set was empty."""
        return 0 < self.in_scope == len(self.deletes) == len(self.changes)


@dataclass(frozen=True)
class Guards:
    """The deletion guards a plan must pass (see core.plan)."""

    allow_empty: bool = False
    max_deletes: int = DEFAULT_MAX_DELETES
    allow_mass_delete: bool = False
    delete_duplicates: bool = False  # plan deleting newer identical copies of a name

    def widened(self, other: Guards) -> Guards:
        """Both approvals together: what a saved plan carries plus what the flags add."""
        return Guards(
            self.allow_empty or other.allow_empty,
            max(self.max_deletes, other.max_deletes),
            self.allow_mass_delete or other.allow_mass_delete,
            self.delete_duplicates or other.delete_duplicates,
        )


@dataclass(frozen=True)
class Target:
    """Where a plan applies: PostHog's base URL and the project id."""

    host: str
    project: str


@dataclass(frozen=True)
class Provenance:
    """Where a plan was made: the commit of its files (and its ref) and the CI run, as the
    CI's environment gives them. Not in the plan's id: another run's same plan is the same."""

    commit: str | None = None
    ref: str | None = None  # e.g. refs/pull/7/merge: the pull request merged into its base
    run_url: str | None = None
    ci: str | None = None  # "GitHub Actions", "GitLab CI"


@dataclass(frozen=True)
class SavedPlan:
    """A plan read back from its file: where it was made for, its changes, and the deletion
    guards it passed (what its reviewers approved). Each update's and delete's precondition
    is its `before`: the live alert must still be exactly that. A plan made for an
    environment of alertsync.toml names it."""

    target: Target
    plan: Plan
    guards: Guards
    provenance: Provenance | None = None
    environment: str | None = None


# -- applying -----------------------------------------------------------------------------

Outcome = Literal["done", "failed", "skipped", "stale"]
OUTCOMES: tuple[Outcome, ...] = ("done", "failed", "skipped", "stale")


@dataclass(frozen=True)
class DestResult:
    change: DestChange
    outcome: Outcome
    message: str = ""
    dest_id: str | None = None


@dataclass(frozen=True)
class Result:
    change: Change
    outcome: Outcome
    message: str = ""  # for done: a note (e.g. recovered after a lost response)
    alert_id: str | None = None
    fatal: str = ""  # why nothing more is attempted after it (the key was refused, ...)
    destinations: tuple[DestResult, ...] = ()


@dataclass(frozen=True)
class Written:
    """What a write did: the alert's id, and a note when it needed recovering."""

    alert_id: str | None
    note: str = ""


@dataclass(frozen=True)
class Delivery:
    """A test notification of one alert: where PostHog sent it, and what failed."""

    name: str
    alert_id: str | None
    destinations: tuple[str, ...] = ()  # the active destinations, in a few words each
    emails: tuple[str, ...] = ()  # the subscribers' emails
    scheduled_destinations: int = 0  # as PostHog counts them
    scheduled_emails: int = 0
    failed_channels: tuple[str, ...] = ()  # "email", "destination"
    error: str = ""  # PostHog's refusal (nothing to send to, not available, ...)

    @property
    def ok(self) -> bool:
        return not self.error and not self.failed_channels


class StopSignal(Protocol):
    """The user's request to stop (the CLI turns Ctrl-C and SIGTERM into one): the run
    finishes what is in flight, sends nothing new, and sleeps wake up at once."""

    @property
    def requested(self) -> bool: ...

    def reason(self) -> str | None: ...

    def sleep(self, seconds: float) -> None: ...


@dataclass(frozen=True)
class EnvironmentPlan:
    """One environment's part of a plan of several (`plan --all-envs`): its plan, or why
    it has none (`error`, with the problems behind it); one failing hides no other."""

    name: str
    target: Target
    plan: Plan | None
    error: str = ""
    problems: tuple[Problem, ...] = ()

    @property
    def failed(self) -> bool:
        return self.plan is None


@dataclass(frozen=True)
class EnvironmentReport:
    """One environment's part of applying a saved plan of several: its results, or the
    error that stopped it (the other environments are applied all the same)."""

    name: str
    target: Target
    results: tuple[Result, ...] = ()
    plan_id: str = ""
    error: str = ""
