"""The JSON Schemas alertsync ships (the alerts file and the saved plan), read from the wheel
or, in an editable install, from the source tree."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alertsync.core.schema import SchemaCheck, inline_refs
from alertsync.errors import ConfigError

if TYPE_CHECKING:
    import jsonschema

ALERTS_SCHEMA = "alerts.schema.json"
PLAN_SCHEMA = "plan.schema.json"
PLANS_SCHEMA = "plan-environments.schema.json"
_IN_PACKAGE = Path(__file__).resolve().parents[1] / "schemas"
_IN_REPO = Path(__file__).resolve().parents[2] / "schemas"


def schema_text(name: str = ALERTS_SCHEMA) -> str:
    for folder in (_IN_PACKAGE, _IN_REPO):  # an installed wheel, then a source checkout
        if (folder / name).is_file():
            return (folder / name).read_text(encoding="utf-8")
    from importlib import resources  # a package that is not plain files (a zip): rare, slower

    return resources.files("alertsync").joinpath("schemas", name).read_text(encoding="utf-8")


def schema(name: str = ALERTS_SCHEMA) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text(name))
    return loaded


def write_schema_beside(output: str) -> Path | None:
    """Put this alertsync's alerts schema beside an exported file, where its `$schema`
    comment points: the path written, or None when an identical copy is already there.
    Never overwrites a file that is not an alertsync alerts schema."""
    target = Path(output).parent / ALERTS_SCHEMA
    text = schema_text(ALERTS_SCHEMA)
    if target.exists():
        try:
            current = target.read_text(encoding="utf-8")
            same_kind = json.loads(current).get("$id") == json.loads(text).get("$id")
        except (OSError, UnicodeDecodeError, ValueError, AttributeError):
            same_kind = False
        if not same_kind:
            raise ConfigError(
                f"{target} exists and is not alertsync's alerts schema; move it, or pass "
                "--schema-url to point the file's $schema comment elsewhere"
            )
        if current == text:
            return None
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return target


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
