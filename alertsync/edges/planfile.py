"""The saved plan: a versioned JSON document that `apply plan.json` carries out exactly.

It holds what was reviewed: the target (host, project, scope), a digest of the input files,
and each change with its before/after, the exact request that will be sent, and a
precondition on the live alert (a fingerprint of its managed fields at plan time, or the
fact that no live alert had that name). It never holds the API key. Pure: values in, values
out; the CLI reads and writes the file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from alertsync import __version__
from alertsync.core.canonical import Canonical
from alertsync.core.diff import ABSENT, FieldChange
from alertsync.core.live import InsightLabel, Labels
from alertsync.core.plan import Change, Guards, Plan
from alertsync.core.schema import plan_validator
from alertsync.errors import AlertsyncError

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Target:
    host: str
    project: str


@dataclass(frozen=True)
class SavedPlan:
    target: Target
    plan: Plan
    preconditions: dict[int, str | None]  # change index → fingerprint; None: name was free
    guards: Guards  # the deletion guards the plan passed: what its reviewers approved


class PlanFileError(AlertsyncError):
    pass


def fingerprint(spec: Canonical) -> str:
    """A digest of a live alert's managed fields, to see later whether it moved."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"sha256:{hashlib.sha256(text.encode()).hexdigest()}"


def request(change: Change, project: str) -> dict[str, Any]:
    base = f"/api/projects/{project}/alerts/"
    if change.action == "create":
        return {"method": "POST", "path": base, "body": change.body}
    path = f"{base}{change.alert_id}/"
    if change.action == "update":
        return {"method": "PATCH", "path": path, "body": change.body}
    return {"method": "DELETE", "path": path, "body": None}


def risks(change: Change) -> list[str]:
    """Kinds of change a reviewer should look at twice."""
    found: list[str] = []
    if change.action == "delete":
        found.append("delete")
    details = {d.path: d for d in change.details}
    enabled = details.get("enabled")
    if enabled is not None and enabled.new is False:
        found.append("disable")
    users = details.get("subscribed_users")
    if users is not None and set(users.old or []) - set(users.new or []):
        found.append("recipients_removed")
    if any(_loosened(d) for d in change.details):
        found.append("threshold_loosened")
    if change.resets_state:
        found.append("firing_state_reset")
    if "insight" in details:
        found.append("insight_changed")
    return found


def _loosened(detail: FieldChange) -> bool:
    """A bound that fires less often: lower went down, upper went up, or a bound removed."""
    side = detail.path.removeprefix("threshold.configuration.bounds.")
    if side not in ("lower", "upper") or side == detail.path:
        return False
    if detail.new is ABSENT:
        return True
    if not _numbers(detail.old, detail.new):
        return False
    return bool(detail.new < detail.old) if side == "lower" else bool(detail.new > detail.old)


def _numbers(*values: Any) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def _detail(detail: FieldChange) -> dict[str, Any]:
    out: dict[str, Any] = {"path": detail.path}
    if detail.old is not ABSENT:
        out["old"] = detail.old
    if detail.new is not ABSENT:
        out["new"] = detail.new
    return out


def _change(change: Change, project: str) -> dict[str, Any]:
    return {
        "action": change.action,
        "name": change.name,
        "alert_id": change.alert_id,
        "before": change.before,
        "after": change.after,
        "fields": list(change.fields),
        "details": [_detail(d) for d in change.details],
        "resets_firing_state": change.resets_state,
        "risks": risks(change),
        "request": request(change, project),
        "precondition": (
            {"no_live_alert_named": change.name}
            if change.before is None
            else {"live_fingerprint": fingerprint(change.before)}
        ),
    }


def _labels(labels: Labels) -> dict[str, Any]:
    return {
        "insights": {
            str(i): {"short_id": label.short_id, "name": label.name}
            for i, label in sorted(labels.insights.items())
        },
        "users": {str(i): email for i, email in sorted(labels.users.items())},
    }


def plan_document(plan: Plan, target: Target, guards: Guards | None = None) -> dict[str, Any]:
    """The plan as a JSON-ready document, deterministic for the same inputs."""
    passed = guards or Guards()
    return {
        "guards": {
            "allow_empty": passed.allow_empty,
            "max_deletes": passed.max_deletes,
            "allow_mass_delete": passed.allow_mass_delete,
        },
        "format_version": FORMAT_VERSION,
        "generator": f"alertsync {__version__}",
        "target": {"host": target.host, "project": target.project},
        "scope": {"name_prefix": plan.prefix},
        "inputs": {"files": list(plan.files), "digest": plan.digest},
        "live": {"in_scope": plan.in_scope, "out_of_scope": plan.out_of_scope},
        "summary": {a: plan.count(a) for a in ("create", "update", "delete")},
        "changes": [_change(c, target.project) for c in plan.changes],
        "labels": _labels(plan.labels),
    }


def dumps(document: dict[str, Any]) -> str:
    return (
        json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"
    )


# -- reading a saved plan back ---------------------------------------------------------


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
    return Change(
        raw["action"],
        raw["name"],
        raw["alert_id"],
        raw["before"],
        raw["after"],
        details,
        raw["request"]["body"],
    )


def _read_labels(raw: dict[str, Any]) -> Labels:
    return Labels(
        insights={
            int(k): InsightLabel(int(k), v.get("short_id"), v.get("name"))
            for k, v in raw["insights"].items()
        },
        users={int(k): v for k, v in raw["users"].items()},
    )
