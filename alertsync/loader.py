"""Load alert files: safe YAML, duplicate keys refused, every node's position kept.

This is an I/O edge: it reads files and returns `Document`s (data plus the line and column
of every key and value) or `Problem`s. It never prints.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from alertsync.errors import Problem

YAML_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_NODES = 200_000  # after alias expansion: stops "billion laughs" documents
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int
    col: int


@dataclass
class Document:
    """One parsed file: its data and the position of each value (and each mapping key)."""

    file: str
    data: Any
    sha256: str = ""
    values: dict[PathKey, Position] = field(default_factory=dict)
    keys: dict[PathKey, Position] = field(default_factory=dict)

    def position(self, path: Iterable[str | int], *, key: bool = False) -> Position:
        """The position of `path`, or of its nearest ancestor that has one."""
        parts = tuple(path)
        if key and parts in self.keys:
            return self.keys[parts]
        while parts and parts not in self.values:
            parts = parts[:-1]
        return self.values.get(parts, Position(1, 1))


def discover(paths: Iterable[str]) -> tuple[list[Path], list[Problem]]:
    """Expand PATH arguments: files as given, directories to every *.yaml/*.yml, sorted."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            problems.append(Problem(raw, 1, 1, "", "no such file or directory"))
    return _unique(files), problems


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
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Problem(name, 1, 1, "", "file is empty: expected a mapping with 'alerts:'")
        digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
        doc = Document(name, None, digest)
        problem = _index(doc, node)
        if problem is not None:
            return problem
        doc.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        return _yaml_problem(name, exc)
    except yaml.YAMLError as exc:
        return Problem(name, 1, 1, "", f"YAML error: {exc}")
    except RecursionError:
        return Problem(name, 1, 1, "", f"nesting is deeper than {MAX_DEPTH} levels")
    finally:
        loader.dispose()
    return doc


def _yaml_problem(name: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = exc.problem or exc.context or "invalid YAML"
    if "could not determine a constructor" in what:
        tag = what.rsplit("tag ", 1)[-1]
        return Problem(
            name, line, col, "", f"YAML tag {tag} is not allowed (alertsync loads plain data only)"
        )
    if "found character '\\t'" in what:
        what += " (YAML does not allow tabs for indentation; use spaces)"
    if exc.context and exc.problem:
        what = f"{exc.context}: {what}"
    return Problem(name, line, col, "", f"YAML syntax error: {what}")


def _index(doc: Document, root: yaml.Node) -> Problem | None:
    """Walk the node tree: record positions, refuse duplicate keys, bound size and depth."""
    budget = [MAX_NODES]
    stack: list[tuple[yaml.Node, PathKey]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        budget[0] -= 1
        if budget[0] < 0:
            return Problem(doc.file, 1, 1, "", _too_big_message())
        if len(path) > MAX_DEPTH:
            pos = _mark(node)
            return Problem(
                doc.file, pos.line, pos.col, "", f"nesting is deeper than {MAX_DEPTH} levels"
            )
        doc.values[path] = _mark(node)
        children = _children(doc, node, path)
        if isinstance(children, Problem):
            return children
        stack.extend(reversed(children))
    return None


def _too_big_message() -> str:
    return (
        f"document expands to more than {MAX_NODES} nodes "
        "(YAML anchors and aliases that expand exponentially are refused)"
    )


def _children(
    doc: Document, node: yaml.Node, path: PathKey
) -> list[tuple[yaml.Node, PathKey]] | Problem:
    if isinstance(node, yaml.SequenceNode):
        return [(child, (*path, i)) for i, child in enumerate(node.value)]
    if not isinstance(node, yaml.MappingNode):
        return []
    out: list[tuple[yaml.Node, PathKey]] = []
    seen: dict[str, Position] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "<complex key>"
        pos = _mark(key_node)
        if key_node.tag != "tag:yaml.org,2002:str":
            return Problem(
                doc.file,
                pos.line,
                pos.col,
                _dotted((*path, key)),
                f"key {key!r} is not a string (YAML reads it as {_tag_word(key_node)}); quote it",
            )
        if key in seen:
            first = seen[key]
            return Problem(
                doc.file,
                pos.line,
                pos.col,
                _dotted((*path, key)),
                f"duplicate key '{key}' (first defined at line {first.line}, column {first.col})",
            )
        seen[key] = pos
        doc.keys[(*path, key)] = pos
        out.append((value_node, (*path, key)))
    return out


_TAG_WORDS = {
    "bool": "a boolean",
    "int": "a number",
    "float": "a number",
    "null": "null",
    "timestamp": "a date",
    "seq": "a list",
    "map": "a mapping",
}


def _tag_word(node: yaml.Node) -> str:
    kind = node.tag.rsplit(":", 1)[-1]
    return _TAG_WORDS.get(kind, kind)


def _mark(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _dotted(path: Iterable[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def dotted(path: Iterable[str | int]) -> str:
    """`("alerts", 0, "threshold")` → `alerts[0].threshold`."""
    return _dotted(path)


def iter_documents(paths: Iterable[Path]) -> Iterator[Document | Problem]:
    for path in paths:
        yield load_file(path)
