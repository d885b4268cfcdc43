"""The JSON Schemas alertsync ships (the alerts file and the saved plan), read from the wheel
or, in an editable install, from the source tree."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alertsync.core.schema import SchemaCheck, inline_refs

if TYPE_CHECKING:
    import jsonschema

ALERTS_SCHEMA = "alerts.schema.json"
PLAN_SCHEMA = "plan.schema.json"
PLANS_SCHEMA = "plan-environments.schema.json"
_IN_REPO = Path(__file__).resolve().parents[2] / "schemas"


def schema_text(name: str = ALERTS_SCHEMA) -> str:
    packaged = resources.files("alertsync").joinpath("schemas", name)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (_IN_REPO / name).read_text(encoding="utf-8")


def schema(name: str = ALERTS_SCHEMA) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text(name))
    return loaded


@cache
def alerts_check() -> SchemaCheck:
    """The alerts file format, as the core validates it."""
    return SchemaCheck(schema(ALERTS_SCHEMA))


@cache
def plan_validator() -> jsonschema.Draft202012Validator:
    """The saved plan format."""
    import jsonschema

    return jsonschema.Draft202012Validator(inline_refs(schema(PLAN_SCHEMA)))


@cache
def plans_validator() -> jsonschema.Draft202012Validator:
    """The saved plan of several environments (each part checked by `plan_validator`)."""
    import jsonschema

    return jsonschema.Draft202012Validator(schema(PLANS_SCHEMA))
