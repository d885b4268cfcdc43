"""A plan's identifier: a digest of its target and its changes, so that the plan a reviewer
read on a pull request and the plan a later run computes or carries out can be compared.

Only what the plan would do counts: the target (host and project) and each change's action,
name, live id, and the alert before and after. The same inputs give the same id whenever and
wherever the plan is computed; anything else (labels, file names, the tool's version) does not
change it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from alertsync.model import Change, Plan, Target

SHORT = 16  # hex characters shown: 64 bits, too many to forge a matching plan by trying


def plan_digest(plan: Plan, target: Target) -> str:
    facts = {
        "kind": "alertsync plan",
        "target": {"host": target.host, "project": target.project},
        "changes": [_facts(c) for c in plan.changes],
    }
    text = json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"sha256:{hashlib.sha256(text.encode()).hexdigest()}"


def environments_digest(digests: Mapping[str, str]) -> str:
    """The id of a plan of several environments: each environment's name and plan digest
    (so it changes when any environment's target or changes do)."""
    facts = {
        "kind": "alertsync plan of environments",
        "environments": dict(sorted(digests.items())),
    }
    text = json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"sha256:{hashlib.sha256(text.encode()).hexdigest()}"


def _facts(change: Change) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "action": change.action,
        "name": change.name,
        "alert_id": change.alert_id,
        "before": change.before,
        "after": change.after,
    }
    if change.destinations:
        facts["destinations"] = [
            {
                "action": d.action,
                "destination_id": d.dest_id,
                "before": d.before,
                "after": d.after,
                "cascade": d.cascade,
            }
            for d in change.destinations
        ]
    return facts


def short_id(digest: str) -> str:
    """The id people read and compare: the first 16 hex characters of the digest."""
    return digest.removeprefix("sha256:")[:SHORT]


def plan_id(plan: Plan, target: Target) -> str:
    return short_id(plan_digest(plan, target))


def matches(expected: str, digest: str) -> bool:
    """Whether an id given by a person (short, or the whole digest) names this plan."""
    given = expected.strip().lower().removeprefix("sha256:")
    full = digest.removeprefix("sha256:")
    return len(given) >= SHORT and full.startswith(given)
