"""Saved plans of several environments (`plan --all-envs --out`), and reading any saved plan.

A plan of several environments is refused whole unless each part is a saved plan alertsync
would itself write (see `planfile`), named for its environment, and the whole plan's id and
summary follow from the parts: a file changed after planning is never partly applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alertsync.edges.planfile import from_document, parse_json
from alertsync.edges.schemas import plans_validator
from alertsync.errors import PlanFileError
from alertsync.model import EnvironmentPlan, SavedPlan
from alertsync.render.environments import KIND, combined_digest, totals


@dataclass(frozen=True)
class SavedPlans:
    """A saved plan of several environments: each one's saved plan, by name, and the
    digest of the whole (what `apply --expect-id` compares without --env)."""

    plans: dict[str, SavedPlan]
    digest: str


def read_saved(path: Path) -> SavedPlan | SavedPlans:
    """The saved plan at `path`: of one target, or of several environments."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFileError(f"{path}: cannot read the plan file ({exc})") from exc
    data = parse_json(text, str(path))
    if isinstance(data, dict) and "kind" in data:
        return plans_from_document(data, str(path))
    return from_document(data, str(path))


def plans_from_document(data: dict[str, Any], source: str) -> SavedPlans:
    error = next(iter(plans_validator().iter_errors(data)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise PlanFileError(f"{source}: invalid plan file at {where}: {error.message[:200]}")
    if data["kind"] != KIND:  # pragma: no cover - the schema holds it to KIND
        raise PlanFileError(f"{source}: not a plan alertsync knows ({data['kind']!r})")
    if data["failed"]:
        raise PlanFileError(
            f"{source}: environment(s) {', '.join(sorted(data['failed']))} failed when this "
            "plan was made, so it cannot be applied; fix them and plan again"
        )
    if not data["environments"]:
        raise PlanFileError(f"{source}: the plan holds no environment")
    plans = {name: _part(name, part, source) for name, part in sorted(data["environments"].items())}
    sections = [EnvironmentPlan(n, s.target, s.plan) for n, s in plans.items()]
    digest = combined_digest(sections)
    if digest is None or data["id"] != digest:
        raise PlanFileError(
            f"{source}: the plan's id does not match its environments' plans (the file was "
            "changed after it was planned). Nothing was applied; plan again."
        )
    if data["summary"] != totals(sections):
        raise PlanFileError(
            f"{source}: the plan's summary does not match its environments' plans (the file "
            "was changed after it was planned). Nothing was applied; plan again."
        )
    return SavedPlans(plans, digest)


def _part(name: str, part: Any, source: str) -> SavedPlan:
    saved = from_document(part, f"{source} (environment {name})")
    if saved.environment != name:
        raise PlanFileError(
            f"{source}: the plan of environment {name!r} says it was made for "
            f"{saved.environment!r} (the file was changed after it was planned). Nothing was "
            "applied; plan again."
        )
    return saved
