"""Human references → ids: insight short ids and member emails, resolved per project.

Pure: the lookups are fetched by the client and passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from alertsync.core.canonical import users
from alertsync.core.desired import DesiredSet
from alertsync.core.numbers import number
from alertsync.model import Canonical, Problem


@dataclass(frozen=True)
class References:
    short_ids: frozenset[str]
    emails: frozenset[str]


def references(desired: DesiredSet) -> References:
    short_ids = {
        a.spec["insight"] for a in desired.alerts.values() if isinstance(a.spec["insight"], str)
    }
    emails = {
        u.lower()
        for a in desired.alerts.values()
        for u in a.spec["subscribed_users"]
        if isinstance(u, str)
    }
    return References(frozenset(short_ids), frozenset(emails))


def resolve(
    desired: DesiredSet,
    insights: Mapping[str, int],
    members: Mapping[str, int],
    project: str,
) -> tuple[dict[str, Canonical], list[Problem]]:
    """Replace short ids and emails by ids; every reference that does not resolve is a problem."""
    resolved: dict[str, Canonical] = {}
    problems: list[Problem] = []
    for name, item in desired.alerts.items():
        spec = dict(item.spec)
        insight = spec["insight"]
        if isinstance(insight, str):
            if insight in insights:
                spec["insight"] = insights[insight]
            else:
                problems.append(
                    item.source.problem(
                        ("insight",), f"no insight with short id {insight!r} in project {project}"
                    )
                )
        ids: list[int] = []
        raw_users = item.source.alert.get("subscribed_users") or []
        for index, raw_user in enumerate(raw_users):
            user = number(raw_user)
            if isinstance(user, int):
                ids.append(user)
            elif str(user).lower() in members:
                ids.append(members[str(user).lower()])
            else:
                problems.append(
                    item.source.problem(
                        ("subscribed_users", index),
                        f"{user} is not a member of the project's organization",
                    )
                )
        spec["subscribed_users"] = users(ids)
        resolved[name] = spec
    return resolved, sorted(problems)
