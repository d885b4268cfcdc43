"""Parsing YAML the way the editor does, safely, and reporting every problem of a file at once.

* **YAML 1.2 core schema.** Plain scalars resolve as YAML 1.2 (and so the YAML language
  server the README recommends) reads them: `true`/`false` only are booleans (`yes`, `no`,
  `on`, `off` are strings), `1e2` is a number, `1:30` and `2024-01-01` are strings. Where
  YAML 1.1 tools would read a different *number* (an integer with a leading zero, which 1.1
  reads as octal), the value is refused with a message that says so.
* **Safe.** Only plain data: a tag that would build an object is refused, never run.
* **Every problem.** Duplicate keys, keys that are not strings, complex keys, duplicate
  `<<` merge keys, refused tags and leading-zero numbers are recorded as problems while the
  rest of the file is still read, so one of them never hides the others.
* Exponential alias expansion, alias cycles and deep nesting are refused outright.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import yaml

from alertsync.edges.yamltree import MAX_DEPTH, mark, tree_problem
from alertsync.model import PathKey, Position

SAFE_C_DEPTH = 1_000

STR_TAG = "tag:yaml.org,2002:str"
MAP_TAG = "tag:yaml.org,2002:map"
INT_TAG = "tag:yaml.org,2002:int"
MERGE_TAG = "tag:yaml.org,2002:merge"

Flagged = list[tuple[yaml.Node, str, bool]]  # (node, message, at its key?)
_NOT_JSON = ("set", "omap", "pairs", "binary", "timestamp")


class Core12Resolver(yaml.resolver.BaseResolver):
    """The YAML 1.2 core schema's plain-scalar rules (plus `<<` merge keys)."""


for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("merge", r"^(?:<<)$", "<"),
):
    Core12Resolver.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first)
    )


_IMPLICIT = Core12Resolver.yaml_implicit_resolvers  # first character → (tag, pattern)
_DEFAULT_TAGS = {
    yaml.ScalarNode: STR_TAG,
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: MAP_TAG,
}


def _strict(base: Any) -> Any:
    class Strict(base):  # type: ignore[misc]
        yaml_implicit_resolvers = _IMPLICIT

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.flagged: Flagged = []
            self._plain_tags: dict[str, str] = {}

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            """PyYAML's `BaseResolver.resolve` for a resolver without path resolvers or
            wildcards (as Core12Resolver is), with the tag of each plain text remembered:
            it runs for every key and value of every file."""
            if kind is yaml.ScalarNode and implicit[0]:
                tag = self._plain_tags.get(value)
                if tag is None:
                    tag = self._plain_tags[value] = _implicit_tag(value)
                return tag
            return _DEFAULT_TAGS[kind]

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
            if not isinstance(node, yaml.MappingNode):  # `!!map [1]`
                self.flagged.append((node, unreadable(node), False))
                return {}
            kept = _checked_pairs(node, self.flagged)
            if kept is not node.value:
                node = yaml.MappingNode(node.tag, kept, node.start_mark, node.end_mark)
            return super().construct_mapping(node, deep)

        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            """PyYAML's, except that a value its explicit tag cannot read (`!!int abc`,
            `!!float`) is a problem at the value, never a crash."""
            was_deep = bool(getattr(self, "deep_construct", False))
            try:
                return super().construct_object(node, deep)
            except UNREADABLE:
                self.recursive_objects.pop(node, None)
                self.deep_construct = was_deep
                self.flagged.append((node, unreadable(node), False))
                return None

        def construct_undefined(self, node: yaml.Node) -> None:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            message = f"YAML tag {tag} is not allowed (alertsync loads plain data only)"
            self.flagged.append((node, message, False))
            return None

        def construct_core_int(self, node: yaml.ScalarNode) -> int:
            text = str(self.construct_scalar(node))
            digits = text.lstrip("+-")
            sign = -1 if text.startswith("-") else 1
            if digits.startswith(("0x", "0o")):
                return sign * int(digits[2:], 16 if digits[1] == "x" else 8)
            if len(digits) > 1 and digits.startswith("0"):
                self.flagged.append((node, _leading_zero(text), False))
            return sign * int(digits, 10)

    Strict.add_constructor(None, Strict.construct_undefined)
    for tag in _NOT_JSON:  # safe, but not data PostHog (or JSON) knows: refused like any tag
        Strict.add_constructor(f"tag:yaml.org,2002:{tag}", Strict.construct_undefined)
    Strict.add_constructor(INT_TAG, Strict.construct_core_int)
    return Strict


UNREADABLE = (ValueError, TypeError, KeyError, IndexError, OverflowError)


def unreadable(node: yaml.Node) -> str:
    """The problem of a value its tag cannot read."""
    tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
    if isinstance(node, yaml.ScalarNode):
        return f"{node.value!r} is not a valid {tag}"
    return f"{tag} cannot tag a {'list' if isinstance(node, yaml.SequenceNode) else 'mapping'}"


def _implicit_tag(value: str) -> str:
    for tag, pattern in _IMPLICIT.get(value[:1], ()):
        if pattern.match(value):
            return str(tag)
    return STR_TAG


FastLoader: Any = _strict(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
PythonLoader: Any = _strict(yaml.SafeLoader)


INTERNED = 24  # texts this short (enum values, types, emails) are kept once, not per alert
SEQ_TAG = "tag:yaml.org,2002:seq"
_SCALARS: dict[str, Any] = {
    INT_TAG: lambda loader, node: loader.construct_core_int(node),
    "tag:yaml.org,2002:float": lambda loader, node: loader.construct_yaml_float(node),
    "tag:yaml.org,2002:bool": lambda loader, node: loader.construct_yaml_bool(node),
    "tag:yaml.org,2002:null": lambda loader, node: None,
}


class _NotPlain(Exception):
    """A node the plain walk leaves to PyYAML's constructor."""


class TooDeep(Exception):
    """A document nested deeper than MAX_DEPTH levels: one problem for the whole file
    (no alert is that deep, and validating it would exhaust the stack)."""

    def __init__(self, where: Position) -> None:
        super().__init__(f"nesting is deeper than {MAX_DEPTH} levels")
        self.where = where


def construct(loader: Any, node: yaml.Node, anchors: bool) -> Any:
    """The document's data. A plain document (no anchors; string keys, none repeated; the
    core schema's tags) is built by one direct walk of its nodes, with each scalar made by
    the loader's own constructor: the same data several times faster than PyYAML's generic
    constructor, which builds every other document (and records its problems)."""
    if not anchors:  # (a document with anchors had its size and depth checked already)
        kept = len(loader.flagged)
        try:
            return _plain(loader, node, 0)
        except _NotPlain:
            del loader.flagged[kept:]  # recorded again by the full constructor
        found = tree_problem(node)
        if found is not None:
            raise TooDeep(found[0])
    return loader.construct_document(node)


def _plain(loader: Any, node: yaml.Node, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise TooDeep(mark(node))
    kind, tag = type(node), node.tag
    if kind is yaml.MappingNode and tag == MAP_TAG:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode or key_node.tag != STR_TAG:
                raise _NotPlain
            key = sys.intern(key_node.value)  # one copy of each key for thousands of alerts
            if key in out:
                raise _NotPlain
            if type(value_node) is yaml.ScalarNode and value_node.tag == STR_TAG:
                value = value_node.value
                out[key] = sys.intern(value) if len(value) <= INTERNED else value
            else:
                out[key] = _plain(loader, value_node, depth + 1)
        return out
    if kind is yaml.SequenceNode and tag == SEQ_TAG:
        return [_plain(loader, item, depth + 1) for item in node.value]
    if kind is yaml.ScalarNode:
        if tag == STR_TAG:
            return node.value
        scalar = _SCALARS.get(tag)
        if scalar is not None:
            try:
                return scalar(loader, node)
            except UNREADABLE:
                loader.flagged.append((node, unreadable(node), False))
                return None
    raise _NotPlain


def _leading_zero(text: str) -> str:
    digits = text.lstrip("+-")
    as_octal = f"as {int(digits, 8)} (octal)" if set(digits) <= set("01234567") else "wrongly"
    return (
        f"{text} has a leading zero: YAML 1.2 (and your editor) reads it as "
        f"{int(text, 10)}, but YAML 1.1 tools read it {as_octal}; write it without the "
        "leading zero, or quote it if it is text"
    )


def _checked_pairs(node: yaml.MappingNode, flagged: Flagged) -> list[tuple[Any, Any]]:
    """The pairs to build the mapping from; every key problem is recorded, and its pair
    (or, for a duplicate, the later pair) left out, so the rest can still be checked."""
    pairs: list[tuple[Any, Any]] = node.value
    plain = [k.value for k, _ in pairs if k.tag == STR_TAG]
    if len(plain) == len(pairs) and len(set(plain)) == len(plain):
        return pairs  # the common case: distinct string keys
    kept: list[tuple[Any, Any]] = []
    first: dict[str, Position] = {}
    merges = 0
    for key_node, value_node in pairs:
        if key_node.tag == MERGE_TAG:
            merges += 1
            if merges > 1:
                flagged.append((key_node, "duplicate '<<' merge key: merge one list instead", True))
                continue
        elif not isinstance(key_node, yaml.ScalarNode):
            flagged.append((key_node, "a key must be plain text, not a mapping or a list", True))
            continue
        elif key_node.tag != STR_TAG:
            word = _TAG_WORDS.get(key_node.tag.rsplit(":", 1)[-1], "something else")
            message = f"key {key_node.value!r} is not a string (YAML reads it as {word}); quote it"
            flagged.append((key_node, message, True))
            continue
        elif key_node.value in first:
            where = first[key_node.value]
            message = (
                f"duplicate key '{key_node.value}' (first defined at line {where.line}, "
                f"column {where.col})"
            )
            flagged.append((key_node, message, True))
            continue
        else:
            first[key_node.value] = mark(key_node)
        kept.append((key_node, value_node))
    return kept


_TAG_WORDS = {
    "bool": "a boolean",
    "int": "a number",
    "float": "a number",
    "null": "null",
    "merge": "a merge key",
}


def loader_for(text: str) -> Any:
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


class Locator:
    """Finds a field's line and column by walking the file's node tree along its path. The
    tree is composed only when the first position is asked for (a valid file never is)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: yaml.Node | None = None

    def _tree(self) -> yaml.Node | None:
        if self._root is None and self._text:
            loader = loader_for(self._text)(self._text)
            try:
                self._root = loader.get_single_node()
            finally:
                loader.dispose()
        return self._root

    def __call__(self, path: PathKey, key: bool) -> Position:
        node = self._tree()
        if node is None:
            return Position(1, 1)
        found = mark(node)
        for part in path:
            step = _step(node, part)
            if step is None:
                return found
            key_node, node = step
            found = mark(key_node if key and key_node is not None else node)
        return found


def _step(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        return (None, node.value[part]) if 0 <= part < len(node.value) else None
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                return key_node, value_node
    return None
