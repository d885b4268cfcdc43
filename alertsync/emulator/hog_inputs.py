"""A function's ``inputs_schema`` and ``inputs`` (destinations contract §3.2, §3.3, §4; VAL).

Server version: the newest ``posthog/cdp/validation.py`` read (see the package notes in
:mod:`alertsync.emulator.hog_rules`): an omitted or empty *required* input that has a schema
default is filled with that default; a boolean input may also be a template string; a
``{"secret": true}`` marker keeps the stored secret, and is refused when none is stored.

Inputs are validated by iterating the schema, never the body, so inputs the schema does not
declare are dropped silently. Each kept input is ``{"value": ...}`` plus ``bytecode`` for
templated types and ``order`` (a topological sort over ``{inputs.x}`` references). On save
(``HogFunction.move_secret_inputs``) every non-secret schema key is stored, ``None`` when it
has no value, in schema order; secret values move to a separate encrypted map.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from alertsync.emulator.drf import FieldError, required, to_boolean
from alertsync.emulator.drf_values import char_field, dict_field, invalid_dict, list_field, under
from alertsync.emulator.hog_bytecode import input_dependencies, value_bytecode

INPUT_TYPES = (
    "string", "number", "boolean", "dictionary", "choice", "json", "integration",
    "integration_multi", "integration_field", "email", "native_email", "posthog_assignee",
    "posthog_ticket_tags", "posthog_business_hours", "non_failure_status_codes",
    "customer_analytics_account_properties", "customer_analytics_account_relationships",
    "task_model", "task_repository", "task_mcp_installations",
)  # fmt: skip
_TEMPLATED = ("string", "dictionary", "json", "email", "native_email", "posthog_ticket_tags")
_DICTIONARIES = ("dictionary", "customer_analytics_account_properties",
                 "customer_analytics_account_relationships")  # fmt: skip
_TEXT_FIELDS = ("integration", "integration_key", "requires_field", "integration_field",
                "requiredScopes")  # fmt: skip
_TEMPLATING_CHOICES = {"True": True, "False": False, "hog": "hog", "liquid": "liquid"}
MASKED_SECRET_VALUE = "********"
NO_SECRET_SAVED = "No value is saved for this secret input. Enter the value again."
SECRET_NOT_UPDATED = "This secret input was not updated correctly. Enter the value again."


def clean_schema(raw: Any) -> list[dict[str, Any]]:
    """``ListField(child=InputsSchemaItemSerializer())``: items in the serializer's key order."""
    return [_schema_item(item, index) for index, item in enumerate(list_field(raw))]


def _schema_item(item: Any, index: int) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        raise invalid_dict(item, (index,))
    out: dict[str, Any] = {}
    steps: list[tuple[str, Any]] = [
        ("type", lambda v: _choice(v, {kind: kind for kind in INPUT_TYPES})),
        ("key", char_field),
        ("label", lambda v: char_field(v, allow_blank=True)),
        ("choices", lambda v: [_dict_item(c, i) for i, c in enumerate(list_field(v))]),
        ("searchable", to_boolean),
        ("required", to_boolean),
        ("default", lambda v: v),
        ("secret", to_boolean),
        ("hidden", to_boolean),
        ("description", char_field),
        *((name, char_field) for name in _TEXT_FIELDS),
        ("templating", lambda v: _choice(v, _TEMPLATING_CHOICES)),
    ]
    defaults = {"required": False, "secret": False, "hidden": False}
    for name, check in steps:
        try:
            if name not in item:
                if name in ("type", "key"):
                    raise required()
                if name in defaults:
                    out[name] = defaults[name]
                continue
            if item[name] is None:
                raise FieldError("This field may not be null.", "null")
            out[name] = check(item[name])
        except FieldError as error:
            raise under(error, index, name) from None
    return out


def _dict_item(value: Any, index: int) -> Any:
    try:
        return dict_field(value)
    except FieldError as error:
        raise under(error, index) from None


def _choice(value: Any, choices: Mapping[str, Any]) -> Any:
    if str(value) not in choices:
        raise FieldError(f'"{value}" is not a valid choice.', "invalid_choice")
    return choices[str(value)]


def with_reference_metadata(schema: Any, reference: Sequence[Mapping[str, Any]] | None) -> Any:
    """HF ``_with_integration_metadata``: integration keys the caller left out, filled back."""
    if not isinstance(schema, list) or reference is None:
        return schema
    by_key = {item.get("key"): item for item in reference if isinstance(item, Mapping)}
    keys = (
        "integration",
        "integration_key",
        "integration_field",
        "requires_field",
        "requiredScopes",
    )
    restored: list[Any] = []
    for item in schema:
        source = by_key.get(item.get("key")) if isinstance(item, Mapping) else None
        if not isinstance(item, Mapping) or not source or source.get("type") != item.get("type"):
            restored.append(item)
            continue
        missing = {key: source[key] for key in keys if key in source and key not in item}
        restored.append({**item, **missing})
    return restored


def clean_inputs(
    raw: Any, schema: Any, secrets: Mapping[str, Any], function_type: str | None
) -> dict[str, dict[str, Any]]:
    """``InputsSerializer``: the kept inputs, keyed in topological order."""
    data = dict_field(raw)
    result: dict[str, dict[str, Any]] = {}
    for item in schema if isinstance(schema, list) else []:
        if not isinstance(item, Mapping) or "key" not in item:
            continue
        key = str(item["key"])
        try:
            value = _resolve_value(data.get(key) or {}, item, secrets.get(key))
            cleaned = _clean_item(value, item, function_type)
        except FieldError as error:
            raise under(error, key) from None
        if cleaned is not None:
            result[key] = cleaned
    return _ordered(result)


def _resolve_value(value: Any, item: Mapping[str, Any], stored_secret: Any) -> Any:
    if item.get("secret"):
        masked = (
            isinstance(value, Mapping)
            and bool(value.get("secret"))
            and ("value" not in value or value.get("value") == MASKED_SECRET_VALUE)
        )
        if masked or value == {}:
            if stored_secret:
                value = stored_secret
            elif masked:
                raise FieldError(NO_SECRET_SAVED)
    if value == {} and item.get("required") and item.get("default") is not None:
        value = {"value": item["default"]}
    templating = item.get("templating")
    if isinstance(value, Mapping) and "templating" in item:
        value = dict(value)
        if templating is True:
            value["templating"] = "hog"
        elif templating is not False:
            value["templating"] = templating
    return value


def _clean_item(
    value: Any, item: Mapping[str, Any], function_type: str | None
) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        raise invalid_dict(value)
    attrs: dict[str, Any] = {}
    for name in ("value", "templating"):
        if name in value and value[name] is None:
            raise FieldError("This field may not be null.", "null", (name,))
    if "value" in value:
        attrs["value"] = value["value"]
    if "templating" in value:
        try:
            attrs["templating"] = _choice(value["templating"], {"hog": "hog", "liquid": "liquid"})
        except FieldError as error:
            raise under(error, "templating") from None
    _check_value(attrs, item)
    if "value" not in attrs:
        return None
    if item.get("secret") and attrs.get("value") == MASKED_SECRET_VALUE:
        raise FieldError(SECRET_NOT_UPDATED)
    return attrs


def _check_value(attrs: dict[str, Any], item: Mapping[str, Any]) -> None:
    value, kind = attrs.get("value"), item.get("type")
    if item.get("required") and (value is None or value == ""):
        raise FieldError("This field is required.")
    if not value:
        return
    message = _type_problem(value, str(kind), attrs, item)
    if message:
        raise FieldError(message)
    templated = kind in _TEMPLATED or (kind == "boolean" and isinstance(value, str))
    if templated and item.get("templating", True) and attrs.get("templating") != "liquid":
        attrs["bytecode"] = value_bytecode(value)
        attrs["input_deps"] = input_dependencies(value)


def _type_problem(value: Any, kind: str, attrs: Mapping[str, Any], item: Mapping[str, Any]) -> str:
    if kind == "string" and not isinstance(value, str):
        return "Value must be a string."
    if kind == "number" and not isinstance(value, int | float):
        return "Value must be a number."
    if kind == "boolean":
        if not item.get("templating", True):
            return "" if isinstance(value, bool) else "Value must be a boolean."
        if not isinstance(value, bool | str):
            return "Value must be a boolean or a template string."
        if isinstance(value, str) and attrs.get("templating") == "liquid":
            return (
                "Liquid templating is not supported for boolean fields. Use Hog templating instead."
            )
    if kind in _DICTIONARIES and not isinstance(value, dict):
        return "Value must be a dictionary."
    if kind == "integration" and not isinstance(value, int):
        return "Value must be an Integration ID."
    return ""


def _ordered(result: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """PostHog's ``topological_sort``: Kahn's algorithm, ties in schema order."""
    keys = list(result)
    edges = {key: [d for d in result[key].pop("input_deps", []) if d in result] for key in keys}
    in_degree = {key: len(edges[key]) for key in keys}
    queue = [key for key in keys if in_degree[key] == 0]
    ordered: list[str] = []
    while queue:
        current = queue.pop(0)
        ordered.append(current)
        for key in keys:
            if current in edges[key]:
                in_degree[key] -= 1
                if in_degree[key] == 0:
                    queue.append(key)
    if len(ordered) != len(keys):
        raise FieldError("Circular dependency detected in input_deps.")
    for index, key in enumerate(ordered):
        result[key]["order"] = index
    return {key: result[key] for key in ordered}


def split_secrets(
    inputs: Mapping[str, Any], schema: Sequence[Mapping[str, Any]], stored: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``move_secret_inputs``: (inputs with every non-secret schema key, secret inputs)."""
    plain: dict[str, Any] = {}
    secret: dict[str, Any] = {}
    for item in schema:
        key = str(item.get("key"))
        if item.get("secret"):
            secret[key] = inputs.get(key) or stored.get(key)
        else:
            plain[key] = inputs.get(key)
    return plain, secret


def render_inputs(
    inputs: Mapping[str, Any], schema: Sequence[Mapping[str, Any]], secrets: Mapping[str, Any]
) -> dict[str, Any]:
    """The read shape: ``None`` items stay ``null``; ``None`` keys inside an item are dropped;
    a secret input with a stored value reads ``{"secret": true}``."""
    rendered: dict[str, Any] = {
        key: None if item is None else {k: v for k, v in item.items() if v is not None}
        for key, item in inputs.items()
    }
    for entry in schema:
        key = str(entry.get("key"))
        if entry.get("secret") and (secrets.get(key) or inputs.get(key)):
            rendered[key] = {"secret": True}
    return rendered


def comparable(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Inputs without what validation derives (``bytecode``, ``transpiled``, ``order``)."""
    derived = ("bytecode", "transpiled", "order")
    return {
        key: {k: v for k, v in item.items() if k not in derived} if isinstance(item, dict) else item
        for key, item in inputs.items()
    }
