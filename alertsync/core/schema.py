"""The alerts file's JSON Schema, and its errors turned into addressed `Problem`s."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from alertsync.core.fastcheck import Check, compile_check
from alertsync.edges.files import Document, dotted
from alertsync.errors import Problem

SCHEMA_NAME = "alerts.schema.json"
PLAN_SCHEMA_NAME = "plan.schema.json"
_IN_REPO = Path(__file__).resolve().parents[2] / "schemas"


def schema_text(name: str = SCHEMA_NAME) -> str:
    """A schema as shipped in the wheel, or from the source tree in an editable install."""
    packaged = resources.files("alertsync").joinpath("schemas", name)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (_IN_REPO / name).read_text(encoding="utf-8")


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with every local `#/$defs/...` reference replaced by its target.

    The same rules, validated about twice as fast: jsonschema resolves a `$ref` on every
    use, which is most of its time on thousands of alerts. Our schemas are not recursive.
    """
    defs = schema.get("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = walk(defs[ref.removeprefix("#/$defs/")])
            return {**target, **{k: walk(v) for k, v in node.items() if k != "$ref"}}
        return {k: walk(v) for k, v in node.items() if k != "$defs"}

    return {**walk(schema), "$defs": defs}


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = inline_refs(json.loads(schema_text(name)))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def validator() -> jsonschema.Draft202012Validator:
    """The alerts file format."""
    return _validator(SCHEMA_NAME)


def plan_validator() -> jsonschema.Draft202012Validator:
    """The saved plan format."""
    return _validator(PLAN_SCHEMA_NAME)


@cache
def _certainly_valid() -> Check:
    return compile_check(inline_refs(json.loads(schema_text(SCHEMA_NAME))))


def schema_problems(doc: Document) -> list[Problem]:
    if _certainly_valid()(doc.data):  # the common case, at a fifth of jsonschema's cost
        return []
    problems: list[Problem] = []
    for error in validator().iter_errors(doc.data):
        problems.extend(_to_problems(doc, error))
    return sorted(set(problems))


def _to_problems(doc: Document, error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    if error.validator in ("additionalProperties", "unevaluatedProperties"):
        yield from _unknown_keys(doc, error, path)
        return
    pos = doc.position(path)
    yield Problem(doc.file, pos.line, pos.col, dotted(path), _message(error))


def _unknown_keys(
    doc: Document, error: ValidationError, path: tuple[Any, ...]
) -> Iterator[Problem]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    known = sorted(_properties(error.schema))
    for key in sorted(k for k in instance if k not in known):
        pos = doc.position((*path, key), key=True)
        yield Problem(doc.file, pos.line, pos.col, dotted((*path, key)), _unknown_key(key, known))


def _properties(schema: Any) -> set[str]:
    if not isinstance(schema, dict):
        return set()
    return set(schema.get("properties", {}))


def _unknown_key(key: str, known: list[str]) -> str:
    if key == "snoozed_until":
        return (
            "unknown field 'snoozed_until': snoozing is operational state owned by people "
            "in the PostHog UI, and alertsync never manages it; remove it"
        )
    if key in ("id", "state", "created_at", "created_by", "checks", "last_value"):
        return f"unknown field '{key}': it is set by PostHog, not by the file; remove it"
    hint = difflib.get_close_matches(key, known, n=1)
    suggestion = f"; did you mean '{hint[0]}'?" if hint else f"; allowed: {', '.join(known)}"
    return f"unknown field '{key}'{suggestion}"


def _message(error: ValidationError) -> str:
    kind = error.validator
    value: Any = error.validator_value
    if kind == "required":
        return error.message.replace("is a required property", "is required").replace(
            "'", "field '", 1
        )
    if kind == "type":
        return f"expected {_types(value)}, got {_describe(error.instance)}"
    if kind == "enum":
        return f"{_show(error.instance)} is not one of: {', '.join(_show(v) for v in value)}"
    if kind == "const":
        return f"must be {_show(value)}, got {_show(error.instance)}"
    if kind in ("anyOf", "oneOf"):
        return _alternatives(error)
    if kind == "minLength":
        return "must not be empty" if value == 1 else f"must be at least {value} characters long"
    if kind == "maxLength":
        return f"is {len(str(error.instance))} characters long; at most {value} are allowed"
    if kind == "minimum":
        return f"must be at least {value}, got {_show(error.instance)}"
    if kind == "uniqueItems":
        return "contains the same entry twice"
    if kind == "pattern" or kind == "format":
        return f"{_show(error.instance)} is not valid here: {_hint(error)}"
    return _plain(error)


def _alternatives(error: ValidationError) -> str:
    """anyOf/oneOf: name what was expected, from the branches' own descriptions or types."""
    schema: Any = error.schema
    branches: Any = error.validator_value
    if isinstance(schema, dict) and "description_short" in schema:
        return f"{schema['description_short']}, got {_describe(error.instance)}"
    options = [_branch_name(branch) for branch in branches]
    return f"expected {' or '.join(options)}, got {_describe(error.instance)}"


def _branch_name(branch: Any) -> str:
    if isinstance(branch, dict):
        if "title" in branch:
            return str(branch["title"])
        if "type" in branch:
            return _types(branch["type"])
    return "another form"


def _hint(error: ValidationError) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    title = schema.get("title")
    return str(title) if title else str(error.message)


def _plain(error: ValidationError) -> str:
    message = str(error.message)
    return message[:300]


_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def _types(value: Any) -> str:
    names = value if isinstance(value, list) else [value]
    return " or ".join(_TYPE_WORDS.get(str(n), str(n)) for n in names)


def _describe(instance: Any) -> str:
    if instance is None:
        return "null"
    if isinstance(instance, bool):
        return f"boolean {str(instance).lower()}"
    if isinstance(instance, dict):
        return "a mapping"
    if isinstance(instance, list):
        return "a list"
    if isinstance(instance, str):
        return f"string {_show(instance)}"
    if isinstance(instance, float):
        return f"number {instance}"
    if isinstance(instance, int):
        return f"integer {instance}"
    return type(instance).__name__


def _show(value: Any) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return json.dumps(text, ensure_ascii=False)
    return json.dumps(value, default=str)
