"""Human references → ids: insight short ids and member emails, resolved per project.

Pure: the lookups are fetched by the client and passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from alertsync.core.canonical import users
from alertsync.core.desired import DesiredSet
from alertsync.core.insights import insight_problems
from alertsync.core.numbers import number
from alertsync.core.validate import Located
from alertsync.model import Canonical, Labels, Problem


@dataclass(frozen=True)
class References:
    short_ids: frozenset[str]
    emails: frozenset[str]
    insight_ids: frozenset[int]


def references(desired: DesiredSet) -> References:
    specs = [a.spec for a in desired.alerts.values()]
    short_ids = {s["insight"] for s in specs if isinstance(s["insight"], str)}
    ids = {s["insight"] for s in specs if isinstance(s["insight"], int)}
    emails = {u.lower() for s in specs for u in s["subscribed_users"] if isinstance(u, str)}
    return References(frozenset(short_ids), frozenset(emails), frozenset(ids))


def resolve(
    desired: DesiredSet,
    insights: Mapping[str, int],
    members: Mapping[str, int],
    project: str,
    labels: Labels | None = None,
) -> tuple[dict[str, Canonical], list[Problem]]:
    """Replace short ids and emails by ids; every reference that does not resolve is a
    problem. With the project's `labels` (insights read with their queries), a numeric id
    that names no insight is a problem too, and each alert is checked against its insight
    the way PostHog will check it."""
    resolved: dict[str, Canonical] = {}
    problems: list[Problem] = []
    for name, item in desired.alerts.items():
        spec = dict(item.spec)
        insight = spec["insight"]
        where = ("insight",)
        if isinstance(insight, str):
            if insight in insights:
                spec["insight"] = insights[insight]
            else:
                message = f"no insight with short id {insight!r} in project {project}"
                problems.append(item.source.problem(where, message))
        elif labels is not None and isinstance(insight, int) and insight not in labels.insights:
            message = f"no insight with id {insight} in project {project}"
            problems.append(item.source.problem(where, message))
        spec["subscribed_users"] = _user_ids(item.source, members, problems)
        label = labels.insights.get(spec["insight"]) if labels is not None else None
        if label is not None and label.facts is not None:
            for path, text in insight_problems(spec, label.facts):
                problems.append(item.source.problem(path, text))
        resolved[name] = spec
    return resolved, sorted(problems)


def _user_ids(source: Located, members: Mapping[str, int], problems: list[Problem]) -> list[Any]:
    ids: list[int] = []
    raw_users = source.alert.get("subscribed_users") or []
    for index, raw_user in enumerate(raw_users):
        user = number(raw_user)
        if isinstance(user, int):
            ids.append(user)
        elif str(user).lower() in members:
            ids.append(members[str(user).lower()])
        else:
            problems.append(
                source.problem(
                    ("subscribed_users", index),
                    f"{user} is not a member of the project's organization",
                )
            )
    return users(ids)
