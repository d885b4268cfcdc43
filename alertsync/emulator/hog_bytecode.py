"""Stand-ins for the HogVM bytecode PostHog compiles on every hog-function save.

PostHog compiles each templated input (``generate_template_bytecode``), the filters
(``compile_filters_bytecode``) and the function's code (``compile_hog``) with its HogQL
compiler, which the emulator does not have. What it produces here has the right shape (a
list starting ``["_H", 1, ...]``, the same nesting as the input value) and is deterministic,
but it is only a stand-in: clients must treat every ``bytecode`` as opaque, as the contract
says (destinations §9). String templates are compiled for real as far as plain text and
``{a.b.c}`` field chains go; any other placeholder is carried as a string constant.

:func:`input_dependencies` is exact for ``{inputs.x}`` references: the input ``order``
PostHog assigns is a topological sort over them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

HEADER: list[Any] = ["_H", 1]
GET_GLOBAL = 1
CALL_GLOBAL = 2
AND = 3
OR = 4
EQ = 11
TRUE = 29
STRING = 32
RETURN = 38
_CHAIN = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$")
_INPUT_REFERENCE = re.compile(r"\binputs\.([A-Za-z_$][\w$]*)")


def split_template(text: str) -> list[tuple[bool, str]]:
    """``(is_placeholder, text)`` parts of a Hog string template; ``\\{`` is a literal brace.

    Braces and quotes inside a placeholder nest, so ``{a ? {'b': 1} : c}`` is one part. An
    unclosed placeholder is kept as text (PostHog would refuse it; see the module note).
    """
    parts: list[tuple[bool, str]] = []
    literal, index = "", 0
    while index < len(text):
        char = text[index]
        if char == "\\" and text[index + 1 : index + 2] == "{":
            literal, index = literal + "{", index + 2
            continue
        end = _placeholder_end(text, index) if char == "{" else -1
        if end < 0:
            literal, index = literal + char, index + 1
            continue
        if literal:
            parts.append((False, literal))
        parts.append((True, text[index + 1 : end].strip()))
        literal, index = "", end + 1
    if literal or not parts:
        parts.append((False, literal))
    return parts


def _placeholder_end(text: str, start: int) -> int:
    depth, quote = 0, ""
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
    return -1


def _expression(source: str) -> list[Any]:
    if _CHAIN.match(source):
        chain = source.split(".")
        ops: list[Any] = []
        for name in reversed(chain):
            ops += [STRING, name]
        return [*ops, GET_GLOBAL, len(chain)]
    return [STRING, source]


def template_bytecode(text: str) -> list[Any]:
    """One string template: its parts concatenated (``concat`` only when there are several)."""
    parts = split_template(text)
    ops: list[Any] = []
    for is_placeholder, part in parts:
        ops += _expression(part) if is_placeholder else [STRING, part]
    if len(parts) > 1:
        ops += [CALL_GLOBAL, "concat", len(parts)]
    return [*HEADER, *ops]


def value_bytecode(value: Any) -> Any:
    """``generate_template_bytecode``: the value's shape, every string compiled."""
    if isinstance(value, Mapping):
        return {key: value_bytecode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [value_bytecode(item) for item in value]
    if isinstance(value, str):
        return template_bytecode(value)
    return value


def input_dependencies(value: Any) -> list[str]:
    """The inputs a templated value reads (``{inputs.x}``), in first-seen order."""
    found: list[str] = []
    if isinstance(value, Mapping):
        for item in value.values():
            found += [name for name in input_dependencies(item) if name not in found]
    elif isinstance(value, list):
        for item in value:
            found += [name for name in input_dependencies(item) if name not in found]
    elif isinstance(value, str):
        for is_placeholder, part in split_template(value):
            if is_placeholder:
                found += [n for n in _INPUT_REFERENCE.findall(part) if n not in found]
    return found


def filters_bytecode(filters: Mapping[str, Any]) -> list[Any]:
    """Events OR-ed, each AND-ed with the property filters (``TRUE`` when there are none)."""
    properties: list[Any] = []
    for item in filters.get("properties") or []:
        if isinstance(item, Mapping):
            properties.append(_property(item))
    events: list[list[Any]] = []
    for event in filters.get("events") or []:
        if isinstance(event, Mapping):
            events.append([STRING, str(event.get("id")), STRING, "event", GET_GLOBAL, 1, EQ])
    clauses = [_all([event, *properties]) for event in events] or [_all(properties)]
    ops = clauses[0] if len(clauses) == 1 else [*_flat(clauses), OR, len(clauses)]
    return [*HEADER, *ops]


def _property(item: Mapping[str, Any]) -> list[Any]:
    scope = "person" if item.get("type") == "person" else "properties"
    value = item.get("value")
    return [STRING, str(value), STRING, str(item.get("key")), STRING, scope, GET_GLOBAL, 2, EQ]


def _all(clauses: list[list[Any]]) -> list[Any]:
    if not clauses:
        return [TRUE]
    if len(clauses) == 1:
        return clauses[0]
    return [*_flat(clauses), AND, len(clauses)]


def _flat(clauses: list[list[Any]]) -> list[Any]:
    return [op for clause in clauses for op in clause]


def code_bytecode(hog: str) -> list[Any]:
    """A stand-in for ``compile_hog``: the emulator never runs a function's code."""
    return [*HEADER, STRING, hog, RETURN]
