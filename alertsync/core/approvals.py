"""The approvals a plan carries: the guard flags it was made with, and whether this plan
needs each one (a reviewer should know that a mass delete was approved, and that it is what
lets this plan through)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from alertsync.core.plan import mass_delete_reasons
from alertsync.model import DEFAULT_MAX_DELETES, Guards, Plan


@dataclass(frozen=True)
class Approval:
    flag: str  # as given on the command line: `--allow-mass-delete`, `--max-deletes 50`
    needed: str  # why this plan needs it; empty: given, but this plan does not need it


def approvals(plan: Plan, guards: Guards) -> tuple[Approval, ...]:
    """Each approval the guards hold, in the order the flags are documented."""
    deletes = len(plan.deletes)
    found: list[Approval] = []
    if guards.allow_empty:
        why = (
            f"the files declare no alert, so all {deletes} live alert(s) in scope are deleted"
            if plan.deletes_everything
            else ""
        )
        found.append(Approval("--allow-empty", why))
    if guards.max_deletes > DEFAULT_MAX_DELETES:
        why = (
            f"it deletes {deletes} alerts, more than the default {DEFAULT_MAX_DELETES}"
            if deletes > DEFAULT_MAX_DELETES
            else ""
        )
        found.append(Approval(f"--max-deletes {guards.max_deletes}", why))
    if guards.allow_mass_delete:
        reasons = mass_delete_reasons(plan, replace(guards, allow_mass_delete=False))
        why = f"it deletes {deletes} alert(s), {' and '.join(reasons)}" if reasons else ""
        found.append(Approval("--allow-mass-delete", why))
    if guards.delete_duplicates:
        copies = len(plan.copy_of)
        why = f"it deletes {copies} newer identical copy(ies) of a name" if copies else ""
        found.append(Approval("--delete-duplicates", why))
    return tuple(found)
