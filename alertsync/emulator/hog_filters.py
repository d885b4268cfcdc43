"""A function's ``filters`` (destinations contract §3.2, §4.1; ``HogFunctionFiltersSerializer``).

* ``source`` is a choice of ``events``, ``person-updates``, ``data-warehouse-table`` and
  ``data-warehouse-view``, default ``events`` (the newest validation read), so
  ``"internal-events"`` is refused with DRF's choice message. The alert-scoped endpoint
  (path B) stores ``"internal-events"`` as the backfill migration writes it; that value is
  only checked when a request sends ``filters`` (see :mod:`alertsync.emulator.hog_rules`).
* Unknown keys are dropped; ``bytecode`` is recompiled on every save.
* The managed-event guard (EV): events named like ``$<product>_alert_<kind>`` belong to
  alert products that manage their own destinations; ``$insight_alert_firing`` is exempt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from alertsync.emulator.drf import FieldError, to_boolean
from alertsync.emulator.drf_values import char_field, dict_field, invalid_dict, list_field, under
from alertsync.emulator.hog_bytecode import filters_bytecode

SOURCES = ("events", "person-updates", "data-warehouse-table", "data-warehouse-view")
WAREHOUSE_SOURCES = SOURCES[2:]
INSIGHT_ALERT_EVENT = "$insight_alert_firing"
MANAGED_BY_ALERT_API = "Alert notification destinations are managed through the alert API."
_MANAGED_EVENT = re.compile(r"^\$[a-z0-9_]+_alert_(firing|resolved|errored|auto_disabled|match)$")
_LISTS = ("actions", "events", "data_warehouse", "properties")


def clean_filters(raw: Any) -> dict[str, Any]:
    """The validated filters in the serializer's field order, ``bytecode`` compiled."""
    if not isinstance(raw, Mapping):
        raise invalid_dict(raw)
    out: dict[str, Any] = {"source": _source(raw.get("source", "events"))}
    for name in _LISTS:
        if name in raw:
            out[name] = _dict_list(raw[name], name)
    for name in ("bytecode", "transpiled"):
        if name in raw:
            out[name] = raw[name]
    if "filter_test_accounts" in raw:
        out["filter_test_accounts"] = _nested(
            to_boolean, raw["filter_test_accounts"], "filter_test_accounts"
        )
    if "bytecode_error" in raw:
        out["bytecode_error"] = _nested(char_field, raw["bytecode_error"], "bytecode_error")
    return compiled(_narrowed(out))


def _source(value: Any) -> str:
    if value is None:
        raise FieldError("This field may not be null.", "null", ("source",))
    if str(value) not in SOURCES:
        raise FieldError(f'"{value}" is not a valid choice.', "invalid_choice", ("source",))
    return str(value)


def _dict_list(value: Any, name: str) -> list[Any]:
    items: list[Any] = _nested(list_field, value, name)
    for index, item in enumerate(items):
        try:
            dict_field(item)
        except FieldError as error:
            raise under(error, name, index) from None
    return items


def _nested(check: Any, value: Any, name: str) -> Any:
    if value is None:
        raise FieldError("This field may not be null.", "null", (name,))
    try:
        return check(value)
    except FieldError as error:
        raise under(error, name) from None


def _narrowed(data: dict[str, Any]) -> dict[str, Any]:
    """What ``validate()`` drops for each source."""
    source = data.get("source")
    dropped: tuple[str, ...] = ()
    if source == "events":
        dropped = ("data_warehouse",)
    elif source == "person-updates":
        dropped = ("events", "actions", "data_warehouse")
    elif source in WAREHOUSE_SOURCES:
        dropped = ("events", "actions")
    narrowed = {key: value for key, value in data.items() if key not in dropped}
    if isinstance(narrowed.get("data_warehouse"), list):
        tables = narrowed["data_warehouse"]
        narrowed["data_warehouse"] = [t for t in tables if t.get("name") != "Select a table"]
    return narrowed


def compiled(filters: Mapping[str, Any]) -> dict[str, Any]:
    """``compile_filters_bytecode``: ``bytecode`` set (kept in place), ``bytecode_error`` gone."""
    out = {key: value for key, value in filters.items() if key != "bytecode_error"}
    out["bytecode"] = filters_bytecode(out)
    return out


def is_managed_alert_event(event_id: Any, exempt_insight_alerts: bool = True) -> bool:
    """EV ``is_managed_alert_internal_event`` with the legacy insight-alert exemption."""
    if not isinstance(event_id, str) or not _MANAGED_EVENT.match(event_id):
        return False
    return not (exempt_insight_alerts and event_id == INSIGHT_ALERT_EVENT)


def uses_managed_event(filters: Any, exempt_insight_alerts: bool = True) -> bool:
    events = filters.get("events", []) if isinstance(filters, Mapping) else []
    return any(
        is_managed_alert_event(event.get("id"), exempt_insight_alerts)
        for event in events or []
        if isinstance(event, Mapping)
    )


def contains(document: Any, pattern: Any) -> bool:
    """Postgres ``jsonb @>``: objects by key, arrays by some-element, scalars by equality."""
    if isinstance(pattern, Mapping):
        return isinstance(document, Mapping) and all(
            key in document and contains(document[key], value) for key, value in pattern.items()
        )
    if isinstance(pattern, list):
        if not isinstance(document, list):
            return False
        return all(any(contains(item, wanted) for item in document) for wanted in pattern)
    if isinstance(document, list) and not isinstance(pattern, Mapping):
        return any(_same_scalar(item, pattern) for item in document)  # array @> scalar
    return _same_scalar(document, pattern)


def _same_scalar(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    return type(left) is type(right) and left == right
