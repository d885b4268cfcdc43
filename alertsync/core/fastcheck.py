"""A fast yes-or-don't-know check of a document against a JSON Schema.

jsonschema is exact and explains every error, but it costs about 0.1 ms per alert. This
module compiles the keywords our schemas use into plain Python closures that answer only
"certainly valid" (True) or "not sure" (False). A document that is certainly valid skips
jsonschema; every other one goes through it, so the schema stays the single source of
truth and every error message still comes from jsonschema. A schema using any keyword this
module does not know compiles to "never sure".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "default",
        "examples",
        "$comment",
        "$id",
        "$schema",
        "$defs",
        # The YAML language server's editor annotations (hover text, completion snippets):
        "markdownDescription",
        "markdownEnumDescriptions",
        "enumDescriptions",
        "defaultSnippets",
    }
)
_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    # JSON Schema counts 1.0 as an integer, as jsonschema does.
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
}


class Unsupported(Exception):
    pass


def compile_check(schema: Any) -> Check:
    """A check for `schema` (with its `$ref`s already inlined); never sure if unsupported."""
    try:
        return _compile(schema)
    except Unsupported:
        return lambda value: False


def _compile(schema: Any) -> Check:
    if schema is True:
        return lambda value: True
    if not isinstance(schema, dict):
        raise Unsupported(repr(schema))
    checks = [
        _keyword(key, value, schema) for key, value in schema.items() if key not in ANNOTATIONS
    ]
    if "additionalProperties" in schema and "properties" not in schema:
        checks.append(_properties({}, schema["additionalProperties"]))
    return _all_of([c for c in checks if c is not None])


def _keyword(key: str, value: Any, schema: dict[str, Any]) -> Check | None:
    simple = _SIMPLE.get(key)
    if simple is not None:
        return simple(value)
    if key == "properties":
        return _properties(value, schema.get("additionalProperties", True))
    if key == "additionalProperties":
        return None  # checked together with "properties"
    if key == "items":
        return _items(_compile(value))
    if key == "allOf":
        return _all_of([_compile(sub) for sub in value])
    if key == "if":
        return _if_then_else(value, schema.get("then", True), schema.get("else", True))
    if key in ("then", "else"):
        return None  # checked together with "if"
    raise Unsupported(key)


def _all_of(checks: list[Check]) -> Check:
    """Every check (a loop, not `all` over a generator: this runs for every value)."""
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)

    def every(v: Any) -> bool:
        for check in checks:  # noqa: SIM110 - a loop: `all` over a generator is slower
            if not check(v):
                return False
        return True

    return every


_DECISIVE = frozenset({"properties", "required", "const", "enum", "type"})


def _decisive(schema: Any) -> Check:
    """A check that is exact both ways (True: valid, False: invalid), as `if` needs: only
    keywords whose compiled form never answers "not sure"."""
    if not isinstance(schema, dict) or not set(schema) <= _DECISIVE | ANNOTATIONS:
        raise Unsupported("an if-schema with keywords that are not exact")
    for sub in (schema.get("properties") or {}).values():
        _decisive(sub)
    return _compile(schema)


def _if_then_else(condition: Any, then: Any, otherwise: Any) -> Check:
    test, yes, no = _decisive(condition), _compile(then), _compile(otherwise)
    return lambda v: yes(v) if test(v) else no(v)


def _type(value: Any) -> Check:
    names = value if isinstance(value, list) else [value]
    tests = [_TYPES[name] for name in names]
    if len(tests) == 1:
        return tests[0]
    return lambda v: any(test(v) for test in tests)


def _enum(options: Any) -> Check:
    if not all(isinstance(o, str) or o is None for o in options):
        raise Unsupported("enum of values other than strings and null")
    allowed = frozenset(o for o in options if o is not None)
    nullable = None in options
    return lambda v: (isinstance(v, str) and v in allowed) or (nullable and v is None)


def _const(expected: Any) -> Check:
    if isinstance(expected, bool) or not isinstance(expected, str | int):
        raise Unsupported("const")
    kind = type(expected)
    return lambda v: type(v) is kind and v == expected


def _on(kind: type | tuple[type, ...], test: Check) -> Check:
    """A keyword that applies only to values of one kind (others pass it)."""
    return lambda v: not isinstance(v, kind) or isinstance(v, bool) or test(v)


def _minimum(bound: Any) -> Check:
    return _on((int, float), lambda v: v >= bound)


def _min_length(size: Any) -> Check:
    return _on(str, lambda v: len(v) >= size)


def _max_length(size: Any) -> Check:
    return _on(str, lambda v: len(v) <= size)


def _min_items(size: Any) -> Check:
    return _on(list, lambda v: len(v) >= size)


def _max_items(size: Any) -> Check:
    return _on(list, lambda v: len(v) <= size)


def _pattern(text: Any) -> Check:
    pattern = re.compile(text)
    return _on(str, lambda v: pattern.search(v) is not None)


def _format(name: Any) -> Check:
    if name != "email":
        raise Unsupported(f"format {name}")
    return _on(str, lambda v: "@" in v)  # what jsonschema's format checker asks of an email


def _required(names: Any) -> Check:
    wanted = tuple(names)
    return _on(dict, lambda v: all(name in v for name in wanted))


def _unique(flag: Any) -> Check:
    if flag is not True:
        return lambda v: True
    # Sure only of strings and of plain ints (JSON Schema equality is subtle for the rest).
    return _on(
        list,
        lambda v: (
            all(type(i) in (str, int) for i in v) and len({(type(i), i) for i in v}) == len(v)
        ),
    )


def _properties(properties: Any, additional: Any) -> Check:
    checks = {name: _compile(sub) for name, sub in properties.items()}
    if additional is False:

        def closed(v: Any) -> bool:
            if not isinstance(v, dict):
                return True  # the keyword applies to objects only
            get = checks.get
            for key, item in v.items():
                check = get(key)
                if check is None or not check(item):
                    return False
            return True

        return closed
    extra = _compile(additional)

    def open_(v: Any) -> bool:
        if not isinstance(v, dict):
            return True
        get = checks.get
        for key, item in v.items():  # noqa: SIM110 - as above
            if not get(key, extra)(item):
                return False
        return True

    return open_


def _items(check: Check) -> Check:
    def every_item(v: Any) -> bool:
        return not isinstance(v, list) or all(map(check, v))

    return every_item


_SIMPLE: dict[str, Callable[[Any], Check]] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "minimum": _minimum,
    "minLength": _min_length,
    "minItems": _min_items,
    "maxItems": _max_items,
    "maxLength": _max_length,
    "pattern": _pattern,
    "format": _format,
    "required": _required,
    "uniqueItems": _unique,
}
