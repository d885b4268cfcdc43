"""Alert files in and out: discovery, reading, YAML with positions, the exported file.

This is an I/O edge: it reads files and returns `Document`s or `Problem`s. It never prints.
Parsing (see `yamlload`) uses libyaml through PyYAML when present, reads scalars as YAML 1.2
does, and records every recoverable problem of a file on its `Document`. The line and
column of a field are found only when a problem needs them.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from alertsync.edges.yamlload import (
    Core12Resolver,
    Flagged,
    Locator,
    TooDeep,
    construct,
    loader_for,
)
from alertsync.edges.yamltree import mark, paths, tree_problem
from alertsync.errors import ConfigError
from alertsync.model import Document, Problem, dotted

YAML_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 8 * 1024 * 1024  # 10,000 alerts take about 3 MB


def discover(paths: Iterable[str]) -> tuple[list[Path], list[Problem]]:
    """Expand PATH arguments: files as given, directories to every *.yaml/*.yml below them
    (symbolic links to directories followed, loops refused), sorted. Nothing is skipped in
    silence: a dangling link or an unreadable entry named *.yaml is a problem."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            _walk(path, (), files, problems)
        elif path.exists():
            files.append(path)
        elif path.is_symlink():
            problems.append(Problem(raw, 1, 1, "", "symbolic link to nothing (dangling or a loop)"))
        else:
            problems.append(Problem(raw, 1, 1, "", "no such file or directory"))
    return _unique(files), problems


def _walk(
    folder: Path, above: tuple[Path, ...], files: list[Path], problems: list[Problem]
) -> None:
    """Every YAML file below `folder`, in sorted order; `above` are the real paths of the
    directories this one was reached through (a link back to one of them is a loop)."""
    real = folder.resolve()
    if real in above:
        problems.append(
            Problem(str(folder), 1, 1, "", "symbolic link loop: this directory contains itself")
        )
        return
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        problems.append(Problem(str(folder), 1, 1, "", f"cannot read directory: {exc.strerror}"))
        return
    for entry in entries:
        if entry.is_dir():
            _walk(entry, (*above, real), files, problems)
        elif entry.suffix.lower() not in YAML_SUFFIXES:
            continue
        elif entry.is_file():
            files.append(entry)
        elif entry.is_symlink() and not entry.exists():
            problems.append(Problem(str(entry), 1, 1, "", "symbolic link to nothing (dangling)"))
        else:
            problems.append(Problem(str(entry), 1, 1, "", "not a regular file"))


def _unique(files: list[Path]) -> list[Path]:
    seen: set[Path] = set()
    out = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def load_file(path: Path) -> Document | Problem:
    name = str(path)
    try:
        if not path.is_file():
            return Problem(name, 1, 1, "", "not a regular file")
        if path.stat().st_size > MAX_FILE_BYTES:
            return Problem(name, 1, 1, "", f"file is larger than {MAX_FILE_BYTES} bytes")
        raw = path.read_bytes()
    except OSError as exc:
        return Problem(name, 1, 1, "", f"cannot read file: {exc.strerror or exc}")
    return load_bytes(name, raw)


def load_bytes(name: str, raw: bytes) -> Document | Problem:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return Problem(name, line, col, "", "file is not valid UTF-8 text")
    return load_text(name, text, hashlib.sha256(raw).hexdigest())


def load_text(name: str, text: str, sha256: str | None = None) -> Document | Problem:
    """The file's data, with every recoverable problem on the Document; a file that cannot
    be read as data at all (bad syntax, empty, an alias bomb) is one Problem."""
    loader = loader_for(text)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Problem(name, 1, 1, "", "file is empty: expected a mapping with 'alerts:'")
        anchors = "&" in text  # aliases need anchors
        found = tree_problem(node) if anchors else None
        if found is not None:
            return Problem(name, found[0].line, found[0].col, "", found[1])
        data = construct(loader, node, anchors)
        flagged: Flagged = loader.flagged
    except yaml.MarkedYAMLError as exc:
        return _yaml_problem(name, exc)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character
        code = ord(char) if isinstance(char, str) else int(char)
        return Problem(name, line, col, "", f"character U+{code:04X} is not allowed in YAML")
    except yaml.YAMLError as exc:
        return Problem(name, 1, 1, "", f"YAML error: {exc}")
    except TooDeep as exc:
        return Problem(name, exc.where.line, exc.where.col, "", str(exc))
    except RecursionError:
        return Problem(name, 1, 1, "", "nesting is too deep (thousands of levels)")
    finally:
        loader.dispose()
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    problems = _addressed(name, node, flagged) if flagged else ()
    return Document(name, data, digest, Locator(text), problems)


def _addressed(name: str, root: yaml.Node, flagged: Flagged) -> tuple[Problem, ...]:
    """The recorded problems with their field paths (found by walking the node tree)."""
    path_of: dict[int, str] = {}
    for node, key_node, path in paths(root):
        path_of[id(node)] = dotted(path)
        if key_node is not None:
            path_of[id(key_node)] = dotted(path)
    out = []
    for node, message, _at_key in flagged:
        where = mark(node)
        out.append(Problem(name, where.line, where.col, path_of.get(id(node), ""), message))
    return tuple(sorted(set(out)))


def _yaml_problem(name: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark_ = exc.problem_mark or exc.context_mark
    line, col = (mark_.line + 1, mark_.column + 1) if mark_ else (1, 1)
    what = exc.problem or exc.context or "invalid YAML"
    if "found character '\\t'" in what:
        what += " (YAML does not allow tabs for indentation; use spaces)"
    if exc.context and exc.problem:
        what = f"{exc.context}: {what}"
    return Problem(name, line, col, "", f"YAML syntax error: {what}")


class _Dumper(yaml.SafeDumper):
    """Safe YAML, with text that YAML 1.1 tools would read as something else quoted."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Times of day (07:00) are plain text in YAML 1.2 but numbers to some 1.1 tools (base
    # 60): always quoted, so every tool and the reader see the same thing. So is text that
    # YAML 1.2 (how alertsync and editors read) would take for a number, a boolean or null
    # where 1.1 (how the dumper decides) would not: 1e3, 0o17.
    style = "'" if _TIME_OF_DAY.match(value) or _not_text_in_12(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _not_text_in_12(value: str) -> bool:
    resolvers = Core12Resolver.yaml_implicit_resolvers.get(value[:1] if value else "", [])
    return any(pattern.match(value) for _tag, pattern in resolvers)


_TIME_OF_DAY = re.compile(r"^[0-9]{1,2}:[0-9]{2}$")
_Dumper.add_representer(str, _text)


def export_text(document: dict[str, Any], schema_url: str) -> str:
    body = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=10_000,
        default_flow_style=False,
    )
    header = (
        f"# yaml-language-server: $schema={schema_url}\n"
        "# Exported by `alertsync export`: the live alerts of the project, in alertsync's format.\n"
    )
    return header + body


def write_output(path: str, text: str) -> None:
    """Write a file the user asked for (a saved plan, an export)."""
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from exc


def write_secret_env(path: str, values: dict[str, str]) -> None:
    """A dotenv file of secret values, created readable by its owner only (0600), only as a
    regular file (never a terminal, a pipe or a device, where a CI log might see it); an
    existing file is replaced with the same permissions."""
    target = Path(path)
    if path == "-" or (target.exists() and not target.is_file()):
        raise ConfigError(
            f"--env-file {path}: secrets are written to a regular file only, not a terminal, "
            "a pipe or a device"
        )
    lines = "".join(f"{name}={_quoted(value)}\n" for name, value in sorted(values.items()))
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write(lines)
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from exc


_PLAIN_VALUE = re.compile(r"^[A-Za-z0-9_./:%+=~@,-]+$")


def _quoted(value: str) -> str:
    """Bare when every reader (a POSIX shell's `.`, docker's --env-file, dotenv libraries)
    takes it as is; else in single quotes for the shell and dotenv readers."""
    if _PLAIN_VALUE.match(value):
        return value
    return "'" + value.replace("'", "'\\''") + "'"
