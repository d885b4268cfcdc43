"""Validation of hog-function writes, in PostHog's order (destinations contract §3.2, §3.5, §4).

The order is ``HogFunctionSerializer``'s: ``to_internal_value`` first fills what the
request left out (``type``, ``template_id`` from the stored function on update,
``inputs_schema``, ``inputs``, ``filters``), looks the template up and copies its defaults
on create; then every field in ``Meta.fields`` order (the first failing field is reported,
as drf-exceptions-hog does); then ``validate()``: the managed-event guard, mappings, the code
size and, on create, ``hog`` must not be empty.

Server version emulated: the newest PostHog read (HF with drafts and revisions, the newest
``posthog/cdp/validation.py``). One deliberate exception: stored filters are not
re-validated when a request leaves ``filters`` out. PostHog re-validates them on every save,
which with that validation would refuse a plain ``{"enabled": false}`` on any function whose
filters hold the ``"internal-events"`` source the alert-scoped endpoint writes; a server
that writes a value it then refuses on every update cannot be the one running, so the
emulator checks ``source`` only when a request sends it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from alertsync.emulator.drf import FieldError, not_null, to_boolean
from alertsync.emulator.drf_values import (
    char_field,
    datetime_field,
    integer_field,
    invalid_dict,
    list_field,
    under,
)
from alertsync.emulator.hog_bytecode import code_bytecode, template_bytecode
from alertsync.emulator.hog_filters import (
    MANAGED_BY_ALERT_API,
    clean_filters,
    compiled,
    uses_managed_event,
)
from alertsync.emulator.hog_inputs import clean_inputs, clean_schema, with_reference_metadata
from alertsync.emulator.hog_stored import HogFunction
from alertsync.emulator.hog_templates import find_template
from alertsync.emulator.refusals import server_error, validation_error

FUNCTION_TYPES = (
    "destination", "site_destination", "internal_destination", "source_webhook",
    "warehouse_source_webhook", "site_app", "transformation", "transformation_log",
)  # fmt: skip
MAX_HOG_BYTES = 100 * 1024
TYPE_CHANGE = "Cannot modify the type of an existing function"
WAREHOUSE_WEBHOOK = "Cannot create or modify warehouse source webhook functions via this API."
MAPPINGS_ONLY_FOR_DESTINATIONS = "Mappings are only allowed for destinations."


@dataclass(frozen=True)
class HogWriteContext:
    current: HogFunction | None  # the stored function on update; None on create
    managed_event_guard: bool = True  # newest servers; older ones have none
    exempt_insight_alerts: bool = True  # the legacy ``$insight_alert_firing`` exemption
    trusted: bool = False  # the alert API's own writes (path B): no guard, filters as built


def validate_hog_write(body: Any, context: HogWriteContext) -> dict[str, Any]:
    """The validated values of a create or update body, or an ``ApiError`` (400; 500 when
    the body is not an object, as ``{**data}`` in ``to_internal_value`` fails there)."""
    if body is None:
        raise validation_error("This field may not be null.", "null")
    if not isinstance(body, Mapping):
        raise server_error()
    data = _filled(dict(body), context)
    try:
        values = _clean_fields(data, context)
    except FieldError as error:
        raise validation_error(error.detail, error.code, "__".join(error.path)) from None
    _validate(values, context)
    return values


def _filled(data: dict[str, Any], context: HogWriteContext) -> dict[str, Any]:
    current = context.current
    data["type"] = data.get("type", current.type if current else "destination")
    data["template_id"] = current.template_id if current else data.get("template_id")
    data["inputs_schema"] = data.get("inputs_schema", current.inputs_schema if current else [])
    data["inputs"] = data.get("inputs", current.inputs if current else {})
    if "filters" in data or current is None:
        data["filters"] = data.get("filters") or {}
    template = find_template(data["template_id"])
    if data["template_id"] and template is None:
        detail = f"No template found for id '{data['template_id']}'"
        raise validation_error(detail, attr="template_id")
    if current is None:
        data["inputs_schema"] = data.get("inputs_schema") or []
        data["inputs"] = data.get("inputs") or {}
        data["mappings"] = data.get("mappings") or None
        if template is not None:
            data["hog"] = data.get("hog") or template.code
            data["inputs_schema"] = data.get("inputs_schema") or list(template.inputs_schema)
            data["icon_url"] = data.get("icon_url") or template.icon_url
            data["description"] = data.get("description") or template.description
            data["name"] = data.get("name") or template.name
    references = (
        current.inputs_schema if current else None,
        template.inputs_schema if template else None,
    )
    for reference in references:
        data["inputs_schema"] = with_reference_metadata(data["inputs_schema"], reference)
    return data


def _clean_fields(data: dict[str, Any], context: HogWriteContext) -> dict[str, Any]:
    """Every sent field in ``Meta.fields`` order; the first failure is raised."""
    steps: list[tuple[str, Callable[[Any], Any], bool]] = [
        ("type", lambda v: _type(v, context), True),
        ("name", lambda v: char_field(v, allow_blank=True, allow_null=True, max_length=400), True),
        ("description", lambda v: char_field(v, allow_blank=True), False),
        ("enabled", to_boolean, False),
        ("deleted", to_boolean, False),
        ("hog", char_field, False),
        ("inputs_schema", clean_schema, False),
        ("inputs", lambda v: _inputs(v, data, context), False),
        ("filters", lambda v: compiled(v) if context.trusted else clean_filters(v), False),
        ("masking", _masking, True),
        ("mappings", _mappings, True),
        ("icon_url", lambda v: char_field(v, allow_blank=True, allow_null=True), True),
        (
            "template_id",
            lambda v: char_field(v, allow_blank=True, allow_null=True, max_length=400),
            True,
        ),
        ("execution_order", lambda v: integer_field(v, minimum=0, maximum=32767), True),
        ("base_updated_at", datetime_field, False),
    ]
    values: dict[str, Any] = {}
    for name, check, allow_null in steps:
        if name not in data:
            continue
        value = data[name]
        try:
            if value is None and not (allow_null or name == "type"):
                raise not_null()
            values[name] = None if value is None and name != "type" else check(value)
        except FieldError as error:
            raise under(error, name) from None
    return values


def _type(value: Any, context: HogWriteContext) -> str | None:
    if value is not None and str(value) not in FUNCTION_TYPES:
        raise FieldError(f'"{value}" is not a valid choice.', "invalid_choice")
    kind = None if value is None else str(value)
    if kind == "warehouse_source_webhook":
        raise FieldError(WAREHOUSE_WEBHOOK)
    if context.current is not None and context.current.type != kind:
        raise FieldError(TYPE_CHANGE)
    return kind


def _inputs(value: Any, data: Mapping[str, Any], context: HogWriteContext) -> dict[str, Any]:
    try:
        clean_schema(data.get("inputs_schema"))
    except FieldError:
        return {}  # the schema's own error is reported first
    secrets = context.current.encrypted_inputs if context.current else {}
    return clean_inputs(value, data.get("inputs_schema"), secrets, data.get("type"))


def _masking(value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise invalid_dict(value)
    out: dict[str, Any] = {}
    if "ttl" not in value:
        raise FieldError("This field is required.", "required", ("ttl",))
    out["ttl"] = _masking_part(
        "ttl", value["ttl"], lambda v: integer_field(v, minimum=60, maximum=86400)
    )
    if value.get("threshold") is not None:
        out["threshold"] = _masking_part("threshold", value["threshold"], integer_field)
    elif "threshold" in value:
        out["threshold"] = None
    if "hash" not in value:
        raise FieldError("This field is required.", "required", ("hash",))
    out["hash"] = _masking_part("hash", value["hash"], char_field)
    out["bytecode"] = template_bytecode(out["hash"])
    return out


def _masking_part(name: str, value: Any, check: Callable[[Any], Any]) -> Any:
    try:
        return check(value)
    except FieldError as error:
        raise under(error, name) from None


def _mappings(value: Any) -> list[Any]:
    items = list_field(value)
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise invalid_dict(item, (index,))
    return items


def _validate(values: dict[str, Any], context: HogWriteContext) -> None:
    """``validate()``: object-level rules, after every field passed."""
    current = context.current
    if context.managed_event_guard and not context.trusted:
        proposed = values.get("filters", current.filters if current else {})
        exempt = context.exempt_insight_alerts
        if (
            current is not None and uses_managed_event(current.filters, exempt)
        ) or uses_managed_event(proposed, exempt):
            raise validation_error(MANAGED_BY_ALERT_API, attr="filters")
    kind = values.get("type")
    if values.get("mappings") is not None:
        if isinstance(values.get("filters"), dict):
            values["filters"] = {
                k: v for k, v in values["filters"].items() if k not in ("events", "actions")
            }
        if kind not in ("site_destination", "destination"):
            raise validation_error(MAPPINGS_ONLY_FOR_DESTINATIONS, attr="mappings")
    if "hog" in values:
        if len(values["hog"].encode("utf-8")) > MAX_HOG_BYTES:
            detail = (
                f"HOG code exceeds maximum size of {MAX_HOG_BYTES // 1024}KB. Please simplify "
                "your code or contact support if you need this limit increased."
            )
            raise validation_error(detail, attr="hog")
        values["bytecode"] = code_bytecode(values["hog"])
    if current is None and not values.get("hog"):
        raise validation_error("Required.", attr="hog")
