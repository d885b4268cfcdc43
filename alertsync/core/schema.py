"""The alerts file's JSON Schema, and its errors turned into addressed `Problem`s.

Pure: the schema comes in as a value (the file edge reads it). A compiled check answers
"certainly valid" for the common case at a fifth of jsonschema's cost; jsonschema, imported
only when a document needs it, judges and explains everything else.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from alertsync.core.fastcheck import compile_check
from alertsync.model import Document, Problem, dotted

if TYPE_CHECKING:
    import jsonschema
    from jsonschema.exceptions import ValidationError


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with every local `#/$defs/...` reference replaced by its target (a
    definition, or a JSON pointer into one, such as `#/$defs/alert/properties/enabled`).

    The same rules, validated about twice as fast: jsonschema resolves a `$ref` on every
    use, which is most of its time on thousands of alerts. Our schemas are not recursive.
    """
    defs = schema.get("$defs", {})

    def pointed(ref: str) -> Any:
        node: Any = defs
        for part in ref.removeprefix("#/$defs/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = walk(pointed(ref))
            return {**target, **{k: walk(v) for k, v in node.items() if k != "$ref"}}
        return {k: walk(v) for k, v in node.items() if k != "$defs"}

    return {**walk(schema), "$defs": defs}


class SchemaCheck:
    """Documents checked against one schema: every problem with its address."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = inline_refs(schema)
        self._certainly_valid = compile_check(self.schema)
        self._validator: jsonschema.Draft202012Validator | None = None

    def validator(self) -> jsonschema.Draft202012Validator:
        if self._validator is None:
            import jsonschema

            self._validator = jsonschema.Draft202012Validator(
                self.schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
            )
        return self._validator

    def problems(self, doc: Document) -> list[Problem]:
        if self._certainly_valid(doc.data):
            return []
        problems: list[Problem] = []
        for error in self.validator().iter_errors(doc.data):
            problems.extend(_to_problems(doc, error))
        return sorted(set(problems))


def _to_problems(doc: Document, error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    if error.validator in ("additionalProperties", "unevaluatedProperties"):
        yield from _unknown_keys(doc, error, path)
        return
    if _url_instead(error):
        return  # the unknown `url` key says what to write instead
    if path[-1:] == ("url_env",):
        message = _variable_name(error)
    elif "destinations" in path and _looks_like_url(error.instance):
        message = (
            "holds a URL (not shown: it may be a credential), which does not belong here; "
            "a webhook's URL goes in an environment variable named by url_env"
        )
    else:
        message = _message(error)
    yield doc.problem(path, message)


def _looks_like_url(value: Any) -> bool:
    return isinstance(value, str) and "://" in value


def _url_instead(error: ValidationError) -> bool:
    instance = error.instance
    return (
        error.validator == "required"
        and isinstance(instance, dict)
        and "url" in instance
        and "url_env" not in instance
        and "'url_env'" in error.message
    )


def _variable_name(error: ValidationError) -> str:
    """A url_env that is not a variable name, without quoting it: it may be the URL itself."""
    if isinstance(error.instance, str) and "://" in error.instance:
        return (
            "holds a URL, which is a credential and never goes in a file: put it in an "
            "environment variable and write that variable's name here (e.g. GROWTH_ALERTS_WEBHOOK)"
        )
    if error.validator == "pattern":
        return (
            "must be an environment variable's name: letters, digits and _, not starting "
            "with a digit"
        )
    return _message(error)


def _unknown_keys(
    doc: Document, error: ValidationError, path: tuple[Any, ...]
) -> Iterator[Problem]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    known = sorted(_properties(error.schema))
    for key in sorted(k for k in instance if k not in known):
        if _looks_like_url(key):
            pos = doc.position((*path, key), key=True)
            shown = dotted((*doc.source(path), "(a URL)"))
            text = "unknown field, not shown: it looks like a URL, which never goes in a file"
            yield Problem(doc.file, pos.line, pos.col, shown, text)
            continue
        yield doc.problem((*path, key), _unknown_key(key, known), key=True)


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
    if key == "url" and "url_env" in known:
        return (
            "unknown field 'url': a webhook URL is a credential and never goes in a file; put "
            "it in an environment variable and name that variable with url_env"
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
        return f"expected {_types(value)}, got {_describe(error.instance)}{_yaml11_hint(error)}"
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
    if kind == "minItems":
        return f"needs at least {value} entries, has {_count(error.instance)}"
    if kind == "maxItems":
        return f"allows at most {value} entries, has {_count(error.instance)}"
    if kind == "maximum":
        return f"must be at most {value}, got {_show(error.instance)}"
    if kind == "uniqueItems":
        return "contains the same entry twice"
    if kind == "pattern" or kind == "format":
        return f"{_show(error.instance)} is not valid here: {_hint(error)}"
    return _plain(error)


_YAML11_BOOLEANS = {"yes", "no", "on", "off", "y", "n"}


def _yaml11_hint(error: ValidationError) -> str:
    """YAML 1.1 tools read yes/no/on/off as booleans; YAML 1.2 (alertsync, the editor) does
    not: say so where a boolean was meant."""
    instance, expected = error.instance, error.validator_value
    wanted = expected if isinstance(expected, list) else [expected]
    if isinstance(instance, str) and instance.lower() in _YAML11_BOOLEANS and "boolean" in wanted:
        return f" (YAML 1.2 reads {instance} as text, not a boolean: write true or false)"
    return ""


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


def _count(instance: Any) -> int:
    return len(instance) if isinstance(instance, list) else 0
