"""The plan document: the JSON that `plan --format json` prints and `plan --out` saves.

It holds what was reviewed: the target (host, project, scope), a digest of the input files,
and each change with its before/after, the exact request that will be sent, and a
precondition on the live alert (a fingerprint of its managed fields at plan time, or the
fact that no live alert had that name). It never holds the API key. Deterministic: the same
plan gives byte-identical text.
"""

from __future__ import annotations

import json
from typing import Any

from alertsync import __version__
from alertsync.core.planid import plan_digest
from alertsync.core.requests import destination_request, request_for
from alertsync.core.risks import risks
from alertsync.core.staleness import fingerprint
from alertsync.model import (
    ABSENT,
    ACTIONS,
    Change,
    DestChange,
    FieldChange,
    Guards,
    InsightLabel,
    Labels,
    Plan,
    Provenance,
    Target,
)

FORMAT_VERSION = 2


def _detail(detail: FieldChange) -> dict[str, Any]:
    out: dict[str, Any] = {"path": detail.path}
    if detail.old is not ABSENT:
        out["old"] = detail.old
    if detail.new is not ABSENT:
        out["new"] = detail.new
    return out


def change_document(change: Change, project: str) -> dict[str, Any]:
    request = request_for(change, project)
    document = {
        "action": change.action,
        "name": change.name,
        "alert_id": change.alert_id,
        "before": change.before,
        "after": change.after,
        "fields": list(change.fields),
        "details": [_detail(d) for d in change.details],
        "resets_firing_state": change.resets_state,
        "risks": risks(change),
        "request": request.as_dict() if request else None,
        "precondition": (
            {"no_live_alert_named": change.name}
            if change.before is None
            else {"live_fingerprint": fingerprint(change.before)}
        ),
    }
    if change.destinations:
        document["destinations"] = [_destination(d, project) for d in change.destinations]
    return document


def _destination(change: DestChange, project: str) -> dict[str, Any]:
    """A destination change. Its request's inputs are filled at apply (the URL is read from
    its variable then, and an update keeps the live inputs it does not own), so the
    document holds the method and path only; `after` says what the inputs will be."""
    request = destination_request(change, project)
    return {
        "action": change.action,
        "kind": change.kind,
        "destination_id": change.dest_id,
        "before": change.before,
        "after": change.after,
        "details": [_detail(d) for d in change.details],
        "goes_with_the_alert": change.cascade,
        "request": request.as_dict() if request else None,
        "precondition": (
            {"no_identical_destination": True}
            if change.before is None
            else {"live_fingerprint": fingerprint(change.before)}
        ),
    }


def _live(plan: Plan) -> dict[str, Any]:
    live: dict[str, Any] = {"in_scope": plan.in_scope, "out_of_scope": plan.out_of_scope}
    if plan.destinations_read:
        live["destinations_read"] = True
    return live


def summary(plan: Plan) -> dict[str, Any]:
    """Changes of each kind; with `destinations` when any destination change is sent."""
    counts: dict[str, Any] = {a: plan.count(a) for a in ACTIONS}
    if any(plan.count_destinations(a) for a in ACTIONS):
        counts["destinations"] = {a: plan.count_destinations(a) for a in ACTIONS}
    return counts


def _insight(label: InsightLabel) -> dict[str, Any]:
    out: dict[str, Any] = {"short_id": label.short_id, "name": label.name}
    if label.series:
        out["series"] = list(label.series)
    return out


def _labels(labels: Labels) -> dict[str, Any]:
    out: dict[str, Any] = {
        "insights": {str(i): _insight(label) for i, label in sorted(labels.insights.items())},
        "users": {str(i): email for i, email in sorted(labels.users.items())},
    }
    if labels.workspaces:
        out["slack_workspaces"] = {str(i): n for i, n in sorted(labels.workspaces.items())}
    if labels.channels:
        out["slack_channels"] = dict(sorted(labels.channels.items()))
    return out


def plan_document(
    plan: Plan,
    target: Target,
    guards: Guards | None = None,
    environment: str | None = None,
    *,
    provenance: Provenance | None = None,
) -> dict[str, Any]:
    """The plan as a JSON-ready document, deterministic for the same inputs. A plan of an
    environment of alertsync.toml names it; where it was made (`provenance`) and which
    deletes are newer copies of a kept alert (`duplicates`) are there when known, outside
    the plan's id."""
    passed = guards or Guards()
    extra: dict[str, Any] = {"environment": environment} if environment is not None else {}
    if provenance is not None:
        extra["provenance"] = _provenance(provenance)
    if plan.copy_of:
        extra["duplicates"] = dict(sorted(plan.copy_of.items()))
    return {
        **extra,
        "guards": {
            "allow_empty": passed.allow_empty,
            "max_deletes": passed.max_deletes,
            "allow_mass_delete": passed.allow_mass_delete,
            "delete_duplicates": passed.delete_duplicates,
        },
        "format_version": FORMAT_VERSION,
        "generator": f"alertsync {__version__}",
        "target": {"host": target.host, "project": target.project},
        "scope": {"name_prefix": plan.prefix},
        "inputs": {"files": list(plan.files), "digest": plan.digest},
        "live": _live(plan),
        "summary": summary(plan),
        "id": plan_digest(plan, target),
        "changes": [change_document(c, target.project) for c in plan.changes],
        "labels": _labels(plan.labels),
    }


def dumps(document: dict[str, Any]) -> str:
    return (
        json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"
    )


def _provenance(provenance: Provenance) -> dict[str, Any]:
    found = {
        "commit": provenance.commit,
        "ref": provenance.ref,
        "run_url": provenance.run_url,
        "ci": provenance.ci,
    }
    return {k: v for k, v in found.items() if v is not None}


def render_json(
    plan: Plan,
    target: Target,
    guards: Guards | None = None,
    environment: str | None = None,
    *,
    provenance: Provenance | None = None,
) -> str:
    return dumps(plan_document(plan, target, guards, environment, provenance=provenance))
