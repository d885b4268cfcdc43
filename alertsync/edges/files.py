"""Alert files in and out: safe YAML, duplicate and non-string keys refused, positions on demand.

This is an I/O edge: it reads files and returns `Document`s or `Problem`s. It never prints.
Parsing uses libyaml (through PyYAML) when present. The line and column of a field are
found only when a problem needs them, by walking the file's node tree along the field's
path, so a large valid file costs no position index.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from alertsync.errors import ConfigError
from alertsync.model import Document, PathKey, Position, Problem, dotted

YAML_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 8 * 1024 * 1024  # 10,000 alerts take about 3 MB
MAX_NODES = 2_000_000  # after alias expansion: stops "billion laughs" documents
MAX_DEPTH = 64
SAFE_C_DEPTH = 1_000

STR_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"


class _KeyProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _strict(base: Any) -> Any:
    """A safe loader that refuses duplicate and non-string mapping keys as it builds data."""

    class Strict(base):  # type: ignore[misc]
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
            problem = _key_problem(self.source_file, node)
            if problem is not None:
                raise _KeyProblem(problem)
            return super().construct_mapping(node, deep)

    return Strict


FastLoader: Any = _strict(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
PythonLoader: Any = _strict(yaml.SafeLoader)


class _Locator:
    """Finds a field's line and column by walking the file's node tree along its path. The
    tree is composed only when the first position is asked for (a valid file never is)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: yaml.Node | None = None

    def _tree(self) -> yaml.Node | None:
        if self._root is None and self._text:
            loader = _loader_for(self._text)(self._text)
            try:
                self._root = loader.get_single_node()
            finally:
                loader.dispose()
        return self._root

    def __call__(self, path: PathKey, key: bool) -> Position:
        node = self._tree()
        if node is None:
            return Position(1, 1)
        found = _mark(node)
        for part in path:
            step = _step(node, part)
            if step is None:
                return found
            key_node, node = step
            found = _mark(key_node if key and key_node is not None else node)
        return found


def _step(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        return (None, node.value[part]) if 0 <= part < len(node.value) else None
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                return key_node, value_node
    return None


def discover(paths: Iterable[str]) -> tuple[list[Path], list[Problem]]:
    """Expand PATH arguments: files as given, directories to every *.yaml/*.yml, sorted."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.suffix.lower() in YAML_SUFFIXES and p.is_file()
            )
            files.extend(found)
        elif path.exists():
            files.append(path)
        elif path.is_symlink():
            problems.append(Problem(raw, 1, 1, "", "symbolic link to nothing (dangling or a loop)"))
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


def _loader_for(text: str) -> Any:
    """libyaml's composer recurses in C and crashes on very deep nesting, so text that might
    nest deeply goes to PyYAML's Python composer, which stops at Python's recursion limit."""
    return PythonLoader if _nesting_estimate(text) > SAFE_C_DEPTH else FastLoader


def _nesting_estimate(text: str) -> int:
    """An upper bound on nesting: flow brackets still open, plus the deepest line prefix of
    indentation and block-sequence dashes. Quoted brackets can only make it larger."""
    brackets = text.count("[") + text.count("{")
    if brackets > SAFE_C_DEPTH:
        depth = deepest = 0
        for char in text:
            if char in "[{":
                depth += 1
                deepest = max(deepest, depth)
            elif char in "]}":
                depth -= 1
        brackets = deepest
    prefix = max((len(line) - len(line.lstrip(" -?:")) for line in text.splitlines()), default=0)
    return brackets + prefix


def load_text(name: str, text: str, sha256: str | None = None) -> Document | Problem:
    loader = _loader_for(text)(text)
    loader.source_file = name
    try:
        node = loader.get_single_node()
        if node is None:
            return Problem(name, 1, 1, "", "file is empty: expected a mapping with 'alerts:'")
        problem = _check_tree(name, node) if "&" in text else None  # aliases need anchors
        if problem is not None:
            return problem
        data = loader.construct_document(node)
    except _KeyProblem as exc:
        return _with_path(exc.problem, node)
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
    except RecursionError:
        return Problem(name, 1, 1, "", "nesting is too deep (thousands of levels)")
    finally:
        loader.dispose()
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(name, data, digest, _Locator(text))


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


def _check_tree(name: str, root: yaml.Node) -> Problem | None:
    """One pass over the distinct nodes of a document that uses anchors: with its aliases
    expanded, it must stay under MAX_NODES nodes and MAX_DEPTH levels, without cycles."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        ident = id(node)
        children = _child_nodes(node)
        if closing:
            open_nodes.discard(ident)
            size[ident] = 1 + sum(size[id(c)] for c in children)
            depth[ident] = 1 + max((depth[id(c)] for c in children), default=0)
            problem = _limits(name, node, size[ident], depth[ident])
            if problem is not None:
                return problem
            continue
        if ident in size:
            continue
        if ident in open_nodes:
            pos = _mark(node)
            return Problem(name, pos.line, pos.col, "", "an alias refers to its own anchor")
        open_nodes.add(ident)
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(children) if id(c) not in size)
    return None


def _with_path(problem: Problem, root: yaml.Node) -> Problem:
    """Name the field a problem is at: the path from the root to the node at its position."""
    stack: list[tuple[yaml.Node, PathKey]] = [(root, ())]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value in node.value:
                key = str(key_node.value)
                if _mark(key_node) == Position(problem.line, problem.col):
                    return replace(problem, path=dotted((*path, key)))
                stack.append((value, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, (*path, i)) for i, child in enumerate(node.value))
    return problem


def _child_nodes(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _limits(name: str, node: yaml.Node, size: int, depth: int) -> Problem | None:
    if size > MAX_NODES:
        return Problem(
            name,
            1,
            1,
            "",
            f"document expands to more than {MAX_NODES} nodes "
            "(YAML anchors and aliases that expand exponentially are refused)",
        )
    if depth > MAX_DEPTH:
        pos = _mark(node)
        return Problem(name, pos.line, pos.col, "", f"nesting is deeper than {MAX_DEPTH} levels")
    return None


def _key_problem(name: str, node: yaml.Node) -> Problem | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    keys = [k.value for k, _ in node.value if k.tag == STR_TAG]
    if len(keys) == len(node.value) and len(set(keys)) == len(keys):
        return None  # the common case: distinct string keys
    seen: dict[str, Position] = {}
    for key_node, _value in node.value:
        if key_node.tag == MERGE_TAG:
            continue
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "<complex key>"
        pos = _mark(key_node)
        if key_node.tag != STR_TAG:
            return Problem(
                name,
                pos.line,
                pos.col,
                "",
                f"key {key!r} is not a string (YAML reads it as {_tag_word(key_node)}); quote it",
            )
        if key in seen:
            first = seen[key]
            return Problem(
                name,
                pos.line,
                pos.col,
                "",
                f"duplicate key '{key}' (first defined at line {first.line}, column {first.col})",
            )
        seen[key] = pos
    return None


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


def export_text(document: dict[str, Any], schema_url: str) -> str:
    body = yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False
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
