"""Saved plans: reading back the document `plan --out` wrote (see `render.json`).

A file that is not valid JSON, not a plan alertsync understands, or that breaks the plan
schema is refused with a `PlanFileError` naming the file and where it is wrong.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alertsync import __version__
from alertsync.core.diff import reset_notes
from alertsync.edges.schemas import plan_validator
from alertsync.errors import PlanFileError
from alertsync.model import (
    ABSENT,
    Change,
    FieldChange,
    Guards,
    InsightLabel,
    Labels,
    Plan,
    SavedPlan,
    Target,
)
from alertsync.render.json import FORMAT_VERSION


def read_plan_file(path: Path) -> SavedPlan:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFileError(f"{path}: cannot read the plan file ({exc})") from exc
    return loads(text, str(path))


def loads(text: str, source: str) -> SavedPlan:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanFileError(
            f"{source}:{exc.lineno}:{exc.colno}: not a JSON plan: {exc.msg}"
        ) from exc
    _check_document(data, source)
    changes = tuple(_read_change(c) for c in data["changes"])
    preconditions = {
        i: c["precondition"].get("live_fingerprint") for i, c in enumerate(data["changes"])
    }
    plan = Plan(
        changes,
        data["live"]["in_scope"],
        data["live"]["out_of_scope"],
        data["scope"]["name_prefix"],
        _read_labels(data["labels"]),
        tuple(data["inputs"]["files"]),
        data["inputs"]["digest"],
    )
    target = Target(data["target"]["host"], data["target"]["project"])
    guards = Guards(
        data["guards"]["allow_empty"],
        data["guards"]["max_deletes"],
        data["guards"]["allow_mass_delete"],
    )
    return SavedPlan(target, plan, preconditions, guards)


def _check_document(data: Any, source: str) -> None:
    if not isinstance(data, dict) or "format_version" not in data:
        raise PlanFileError(f"{source}: not an alertsync plan file (no format_version)")
    if data["format_version"] != FORMAT_VERSION:
        raise PlanFileError(
            f"{source}: plan format_version {data['format_version']!r} is not supported by "
            f"alertsync {__version__} (it reads version {FORMAT_VERSION}); plan again"
        )
    error = next(iter(plan_validator().iter_errors(data)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise PlanFileError(f"{source}: invalid plan file at {where}: {error.message[:200]}")


def _read_change(raw: dict[str, Any]) -> Change:
    details = tuple(
        FieldChange(d["path"], d.get("old", ABSENT), d.get("new", ABSENT)) for d in raw["details"]
    )
    notes = reset_notes(details) if raw["action"] == "update" else ()
    return Change(
        raw["action"],
        raw["name"],
        raw["alert_id"],
        raw["before"],
        raw["after"],
        details,
        raw["request"]["body"],
        notes,
    )


def _read_labels(raw: dict[str, Any]) -> Labels:
    return Labels(
        insights={
            int(k): InsightLabel(int(k), v.get("short_id"), v.get("name"))
            for k, v in raw["insights"].items()
        },
        users={int(k): v for k, v in raw["users"].items()},
    )
