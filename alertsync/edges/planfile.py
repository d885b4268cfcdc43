"""Saved plans: reading back the document `plan --out` wrote (see `render.json`).

A file that is not valid JSON, not a plan alertsync understands, or that breaks the plan
schema is refused with a `PlanFileError` naming the file and where it is wrong.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from alertsync import __version__
from alertsync.core.dest_plan import build_dest_change
from alertsync.core.plan import build_change
from alertsync.core.planid import plan_digest
from alertsync.edges.schemas import plan_validator
from alertsync.errors import PlanFileError
from alertsync.model import (
    Change,
    Guards,
    InsightLabel,
    Labels,
    Plan,
    Provenance,
    SavedPlan,
    Target,
)
from alertsync.render.json import FORMAT_VERSION, change_document, summary


def read_plan_file(path: Path) -> SavedPlan:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFileError(f"{path}: cannot read the plan file ({exc})") from exc
    return loads(text, str(path))


def loads(text: str, source: str) -> SavedPlan:
    """A saved plan, refused unless every part of it that apply relies on is what alertsync
    would itself write for its changes: a file edited after `plan --out` wrote it (a body
    that sends more than the change shows, a detail hidden from the preview, another
    method) is refused as a whole, before anything is sent."""
    return from_document(parse_json(text, source), source)


def parse_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanFileError(
            f"{source}:{exc.lineno}:{exc.colno}: not a JSON plan: {exc.msg}"
        ) from exc


def from_document(data: Any, source: str) -> SavedPlan:
    """The saved plan of one target, from its document (see `loads`)."""
    _check_document(data, source)
    target = Target(data["target"]["host"], data["target"]["project"])
    changes = tuple(
        _read_change(raw, index, target.project, source)
        for index, raw in enumerate(data["changes"])
    )
    plan = Plan(
        changes,
        data["live"]["in_scope"],
        data["live"]["out_of_scope"],
        data["scope"]["name_prefix"],
        _read_labels(data["labels"]),
        tuple(data["inputs"]["files"]),
        data["inputs"]["digest"],
        _read_duplicates(data.get("duplicates", {}), plan_deletes(changes), source),
    )
    plan = replace(plan, destinations_read=data["live"].get("destinations_read", False))
    _check_whole(data, plan, target, source)
    guards = Guards(
        data["guards"]["allow_empty"],
        data["guards"]["max_deletes"],
        data["guards"]["allow_mass_delete"],
        data["guards"]["delete_duplicates"],
    )
    made = data.get("provenance")
    provenance = Provenance(**made) if made is not None else None
    return SavedPlan(target, plan, guards, provenance, data.get("environment"))


def plan_deletes(changes: tuple[Change, ...]) -> set[str]:
    return {c.alert_id for c in changes if c.action == "delete" and c.alert_id}


def _read_duplicates(raw: dict[str, str], deletes: set[str], source: str) -> dict[str, str]:
    """Deleted copy id → the kept alert's id: only deletes of this plan can be copies."""
    if not set(raw) <= deletes or set(raw.values()) & deletes:
        raise PlanFileError(
            f"{source}: its duplicates name alerts that are not deleted copies in its changes "
            "(the file was changed after it was planned). Nothing was applied; plan again."
        )
    return dict(raw)


def _check_document(data: Any, source: str) -> None:
    if not isinstance(data, dict) or "format_version" not in data:
        raise PlanFileError(f"{source}: not an alertsync plan file (no format_version)")
    if data["format_version"] != FORMAT_VERSION:
        raise PlanFileError(
            f"{source}: plan format_version {data['format_version']!r} is not supported by "
            f"alertsync {__version__} (it reads version {FORMAT_VERSION}); plan again"
        )
    if data.get("kind") == "environments":  # `plan --all-envs --out`: see envplanfile
        raise PlanFileError(
            f"{source} is a plan of several environments: apply it where the alertsync.toml "
            "that defines them is found (or name it with --config); each environment's part "
            "is applied against that environment's target"
        )
    error = next(iter(plan_validator().iter_errors(data)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise PlanFileError(f"{source}: invalid plan file at {where}: {error.message[:200]}")


def _read_change(raw: dict[str, Any], index: int, project: str, source: str) -> Change:
    """The change rebuilt from its action and its alert before and after; the rest of the
    stored entry (details, request, precondition, risks) must be exactly what follows."""
    what = f"{source}: change {index + 1} ({raw['action']} {raw['name']!r})"
    try:
        routes = tuple(
            build_dest_change(
                d["action"], d["destination_id"], d["before"], d["after"], d["goes_with_the_alert"]
            )
            for d in raw.get("destinations", [])
        )
        change = build_change(
            raw["action"], raw["name"], raw["alert_id"], raw["before"], raw["after"], routes
        )
    except ValueError as exc:
        raise PlanFileError(f"{what} is not a change alertsync makes: {exc}") from None
    if any(r.cascade != (change.action == "delete") for r in routes):
        raise PlanFileError(f"{what}: only a deleted alert's destinations go with it")
    if any(r.action == "update" and not r.details for r in routes):
        raise PlanFileError(f"{what} changes a destination in nothing: alertsync never plans that")
    if change.action == "update" and not change.details and not routes:
        raise PlanFileError(f"{what} changes nothing: alertsync never plans such an update")
    expected = change_document(change, project)
    wrong = sorted(key for key in expected if expected[key] != raw.get(key))
    if wrong:
        raise PlanFileError(
            f"{what}: its {', '.join(wrong)} do(es) not follow from its before and after, "
            "as alertsync writes them: the file was changed after it was planned. Nothing "
            "was applied; plan again."
        )
    return change


def _check_whole(data: dict[str, Any], plan: Plan, target: Target, source: str) -> None:
    digest = plan_digest(plan, target)
    if data["id"] != digest:
        raise PlanFileError(
            f"{source}: the plan's id does not match its changes (the file was changed after "
            "it was planned). Nothing was applied; plan again."
        )
    if data["summary"] != summary(plan):
        raise PlanFileError(
            f"{source}: the plan's summary does not match its changes (the file was changed "
            "after it was planned). Nothing was applied; plan again."
        )


def _read_labels(raw: dict[str, Any]) -> Labels:
    return Labels(
        insights={
            int(k): InsightLabel(
                int(k), v.get("short_id"), v.get("name"), series=tuple(v.get("series", ()))
            )
            for k, v in raw["insights"].items()
        },
        users={int(k): v for k, v in raw["users"].items()},
        workspaces={int(k): v for k, v in raw.get("slack_workspaces", {}).items()},
        channels=dict(raw.get("slack_channels", {})),
    )
