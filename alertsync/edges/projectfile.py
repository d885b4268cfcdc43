"""The project file, `alertsync.toml`: the environments one set of alert files serves.

    paths = ["alerts/"]                  # shared by every environment (relative to this file)

    [environments.staging]
    host = "https://eu.posthog.com"
    project = 12345
    key_env = "POSTHOG_KEY_STAGING"      # the variable holding the key, never the key

Found in the current directory or the nearest one above it, up to the repository root (a
directory holding `.git`), or named with `--config`. Read with `tomllib`; every problem
(TOML syntax, an unknown key, a wrong type, a bad host) is a `Problem` at its
`file:line:col`, all of them at once. The file never holds a key.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from alertsync.edges.posthog.settings import DEFAULT_HOST, KEY_ENV, check_host, check_project
from alertsync.errors import ConfigError, InputError
from alertsync.model import Position, Problem

PROJECT_FILE = "alertsync.toml"
TOP_KEYS = ("paths", "host", "key_env", "environments")
ENVIRONMENT_KEYS = ("host", "project", "key_env", "paths")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Variables that hold something else than a PostHog key: the CI's own tokens (GITHUB_TOKEN,
# CI_JOB_TOKEN, GITLAB_API_TOKEN, ACTIONS_RUNTIME_TOKEN...), alertsync's and PostHog's
# settings, proxies. Naming one would send its value as the Bearer key to the host this same
# file names, so a pull request that edits alertsync.toml could ship the CI's token away.
NOT_A_KEY = re.compile(
    r"^(?:ALERTSYNC_|GITHUB_|GITLAB_|CI_|RUNNER_|ACTIONS_)|^POSTHOG_(?:HOST|PROJECT_ID)$"
    r"|(?:^|_)PROXY$",
    re.IGNORECASE,
)
MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Environment:
    """One PostHog project the files serve: where it is, where its key comes from, and
    which alert files it reads."""

    name: str
    host: str
    project: str
    key_env: str
    paths: tuple[str, ...]
    at: Position = field(default=Position(1, 1), compare=False)  # its table in the file


@dataclass(frozen=True)
class Project:
    file: str
    environments: dict[str, Environment]  # by name, sorted
    root: Path | None = None  # the repository its alert files must stay in

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.environments)

    def environment(self, name: str) -> Environment:
        if name not in self.environments:
            raise ConfigError(
                f"no environment {name!r} in {self.file} (its environments: "
                f"{', '.join(self.names)})"
            )
        return self.environments[name]


def find_project_file(start: Path) -> Path | None:
    """`alertsync.toml` in `start` or the nearest folder above it, not past the repository
    root (the first folder holding `.git`). One found above `start` must be the user's own:
    outside a repository the search climbs to shared folders such as /tmp, where anyone
    may leave a file that names a host to send the key to."""
    folder = start.resolve()
    while True:
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            if folder != start.resolve():
                _own(candidate)
            return candidate
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


def _own(path: Path) -> None:
    uid = getattr(os, "geteuid", None)  # None on Windows: no owners to compare
    if uid is not None and path.stat().st_uid != uid():
        raise ConfigError(
            f"{path} belongs to another user, so it is not used (it would choose the hosts "
            "your keys are sent to); if you trust it, name it with --config"
        )


def repository_root(folder: Path) -> Path:
    """The repository `folder` is in (the nearest folder at or above it holding `.git`), or
    `folder` itself outside one."""
    for above in (folder, *folder.parents):
        if (above / ".git").exists():
            return above
    return folder


def load_project(path: Path, cwd: Path | None = None) -> Project:
    """The project file at `path`, or InputError with every problem in it."""
    shown = _shown(path, cwd or Path.cwd())
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ConfigError(f"{shown}: larger than {MAX_BYTES} bytes; is it the right file?")
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {shown}: {exc.strerror or exc}") from exc
    home = path.resolve().parent
    folder = os.path.relpath(home, (cwd or Path.cwd()).resolve())
    root = repository_root(home)
    found = parse_project(raw, shown, folder, lambda p: (home / p).resolve().is_relative_to(root))
    if isinstance(found, Project):
        return replace(found, root=root)
    raise InputError(found)


def _shown(path: Path, cwd: Path) -> str:
    try:
        return os.path.relpath(path.resolve(), cwd.resolve())
    except ValueError:  # another drive (Windows)
        return str(path)


def parse_project(
    raw: bytes, file: str, folder: str = ".", inside: Callable[[str], bool] = lambda p: True
) -> Project | list[Problem]:
    """The project of `raw` (paths relative to `folder`), or every problem in it; `inside`
    says whether a path of it stays inside the repository (as it must)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [Problem(file, 1, 1, "", "not valid UTF-8 text")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [_syntax_problem(file, text, str(exc))]
    reader = _Reader(file, _KeyLines(text), inside)
    environments = reader.environments(data, folder)
    if reader.problems:
        return sorted(set(reader.problems))
    return Project(file, environments)


_AT = re.compile(r"^(?P<what>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def _syntax_problem(file: str, text: str, message: str) -> Problem:
    match = _AT.match(message)
    if match:
        line, col = int(match["line"]), int(match["col"])
        return Problem(file, line, col, "", f"invalid TOML: {match['what']}")
    what = message.removesuffix(" (at end of document)")
    return Problem(file, max(1, text.count("\n") + 1), 1, "", f"invalid TOML: {what}")


class _Reader:
    """Turns the parsed table into environments, noting every problem with its place."""

    def __init__(self, file: str, lines: _KeyLines, inside: Callable[[str], bool]) -> None:
        self.file = file
        self.lines = lines
        self.inside = inside
        self.problems: list[Problem] = []

    def problem(self, path: tuple[str, ...], message: str) -> None:
        pos = self.lines.position(path)
        self.problems.append(Problem(self.file, pos.line, pos.col, ".".join(path), message))

    def environments(self, data: dict[str, Any], folder: str) -> dict[str, Environment]:
        self.unknown_keys(data, (), TOP_KEYS)
        paths = self.paths(data, ())
        host = self.text(data, ("host",)) or DEFAULT_HOST
        key_env = self.variable(data, ()) or KEY_ENV
        tables = data.get("environments")
        if not isinstance(tables, dict) or not tables:
            self.problem(
                ("environments",),
                "no environments: add at least one [environments.NAME] table with its host, "
                "project and key_env",
            )
            return {}
        found: dict[str, Environment] = {}
        for name in sorted(tables):
            alike = [other for other in tables if other != name and other.lower() == name.lower()]
            if alike:
                self.problem(
                    ("environments", name),
                    f"environment names {name!r} and {alike[0]!r} differ only in case: CI "
                    "environments, artifacts and file systems may take them for one; rename one",
                )
            made = self.environment(name, tables[name], paths, host, key_env, folder)
            if made is not None:
                found[name] = made
        return found

    def environment(
        self,
        name: str,
        table: Any,
        paths: tuple[str, ...] | None,
        host: str,
        key_env: str,
        folder: str,
    ) -> Environment | None:
        where = ("environments", name)
        if not NAME.match(name):
            self.problem(
                where,
                f"environment name {name!r}: use letters, digits, '-' and '_' (at most 64, "
                "starting with a letter or digit)",
            )
        if not isinstance(table, dict):
            self.problem(where, f"environment {name!r} must be a table ([environments.{name}])")
            return None
        self.unknown_keys(table, where, ENVIRONMENT_KEYS)
        own_host = self.text(table, (*where, "host"))
        checked = self.host(own_host, (*where, "host")) if own_host else self.host(host, ("host",))
        project = self.project(table, where)
        variable = self.variable(table, where)
        own_paths = self.paths(table, where)
        chosen = own_paths if own_paths is not None else paths
        if not chosen:
            self.problem(
                where,
                f"environment {name!r} has no alert files: give it `paths`, "
                "or set `paths` at the top of the file for every environment",
            )
        if project is None or not chosen or checked is None:
            return None
        return Environment(
            name,
            checked,
            project,
            variable or key_env,
            tuple(_under(folder, p) for p in chosen),
            self.lines.position(where),
        )

    def unknown_keys(
        self, table: Mapping[str, Any], where: tuple[str, ...], known: tuple[str, ...]
    ) -> None:
        for key in table:
            if key in known:
                continue
            hint = (
                "; keys never go in this file: name the environment variable that holds it "
                "with key_env"
                if "key" in key.lower() or "token" in key.lower() or "secret" in key.lower()
                else ""
            )
            self.problem((*where, key), f"unknown key '{key}' (allowed: {', '.join(known)}){hint}")

    def text(self, table: Mapping[str, Any], path: tuple[str, ...]) -> str | None:
        value = table.get(path[-1])
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(path, f"expected a non-empty string, got {_kind(value)}")
            return None
        return value

    def host(self, value: str, path: tuple[str, ...]) -> str | None:
        try:
            return check_host(value)
        except ConfigError as exc:
            self.problem(path, str(exc))
            return None

    def variable(self, table: Mapping[str, Any], where: tuple[str, ...]) -> str | None:
        path = (*where, "key_env")
        value = self.text(table, path)
        if value is None:
            return None
        if value.startswith(("phx_", "phc_")) or not VARIABLE.match(value):
            self.problem(
                path,
                "key_env names the environment variable that holds the API key (such as "
                f"{KEY_ENV}); this value is not a variable name (not shown here, in case it "
                "is a key)",
            )
            return None
        if NOT_A_KEY.search(value):
            self.problem(
                path,
                f"key_env names ${value}, a variable of the CI, alertsync, PostHog's settings "
                "or a proxy, not a PostHog key: alertsync would send its value to the host as "
                "the API key; name the variable that holds only this environment's PostHog "
                "personal API key (such as POSTHOG_KEY_STAGING)",
            )
            return None
        return value

    def project(self, table: Mapping[str, Any], where: tuple[str, ...]) -> str | None:
        value = table.get("project")
        if value is None:
            self.problem(where, f"environment {where[-1]!r} needs `project` (its project id)")
            return None
        if isinstance(value, bool) or not isinstance(value, int | str):
            self.problem((*where, "project"), f"expected a project id, got {_kind(value)}")
            return None
        try:
            return check_project(str(value))
        except ConfigError as exc:
            self.problem((*where, "project"), str(exc).replace("--project or ", ""))
            return None

    def paths(self, table: Mapping[str, Any], where: tuple[str, ...]) -> tuple[str, ...] | None:
        value = table.get("paths")
        if value is None:
            return None
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(p, str) and p for p in items):
            self.problem((*where, "paths"), "expected a list of file or folder names")
            return None
        outside = [p for p in items if not self.inside(p)]
        for item in outside:
            self.problem(
                (*where, "paths"),
                f"{item!r} is outside the repository (links followed): the alert files of "
                f"{PROJECT_FILE} are in its repository, relative to it",
            )
        return None if outside else tuple(items)


def _under(folder: str, path: str) -> str:
    if os.path.isabs(path) or folder in ("", "."):
        return path
    return os.path.join(folder, path)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, int | float):
        return "a number"
    return f"{type(value).__name__}"


# -- where each key is written --------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)
_PART = re.compile(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""")


class _KeyLines:
    """The line and column of each key and table header, by a scan of the text (tomllib
    keeps no positions): enough to point at what a problem is about."""

    def __init__(self, text: str) -> None:
        self.found: dict[tuple[str, ...], Position] = {}
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header and not line.lstrip().startswith("[["):
                table = tuple(_parts(header.group(1)))
                col = line.index("[") + 1
                self.found.setdefault(table, Position(number, col))
                continue
            key = _KEY.match(line)
            if key:
                path = (*table, *_parts(key.group(1)))
                col = len(line) - len(line.lstrip()) + 1
                for depth in range(len(table) + 1, len(path) + 1):
                    self.found.setdefault(path[:depth], Position(number, col))

    def position(self, path: tuple[str, ...]) -> Position:
        for depth in range(len(path), 0, -1):
            if path[:depth] in self.found:
                return self.found[path[:depth]]
        return Position(1, 1)


def _parts(dotted: str) -> Iterator[str]:
    for part in _PART.findall(dotted):
        yield part[1:-1] if part[:1] in "\"'" else part
