"""The live state: raw API alerts (read shape) → canonical alerts, plus display labels."""

from __future__ import annotations

from typing import Any

from alertsync.core import canonical
from alertsync.core.insights import facts_of, series_names
from alertsync.core.readshape import shape_problem
from alertsync.errors import MalformedAlert
from alertsync.model import InsightLabel, Labels, LiveAlert


def insight_label(insight: dict[str, Any]) -> InsightLabel | None:
    """What a reviewer recognises of an InsightBasic object, if it has an id."""
    insight_id = insight.get("id")
    if not isinstance(insight_id, int):
        return None
    name = insight.get("name") or insight.get("derived_name")
    facts = facts_of(insight["query"]) if "query" in insight else None
    series = series_names(insight["query"]) if "query" in insight else ()
    return InsightLabel(insight_id, insight.get("short_id"), name, facts, series)


def _insight_id(raw: Any, labels: Labels) -> Any:
    if isinstance(raw, dict):
        label = insight_label(raw)
        if label is not None:
            labels.insights[label.id] = label
        return raw.get("id")
    return raw


def _user_ids(raw: Any, labels: Labels) -> list[Any]:
    ids: list[Any] = []
    for user in raw or []:
        if isinstance(user, dict):
            if isinstance(user.get("email"), str) and isinstance(user.get("id"), int):
                labels.users[user["id"]] = user["email"]
            ids.append(user.get("id"))
        else:
            ids.append(user)
    return ids


def live_alert(raw: dict[str, Any], labels: Labels) -> LiveAlert:
    """Turn one read-shaped alert into the canonical write shape; unmanaged fields drop out."""
    write_shaped = {key: raw.get(key) for key in ("name", *canonical.MANAGED_FIELDS)}
    write_shaped["name"] = raw.get("name") or ""
    write_shaped["insight"] = _insight_id(raw.get("insight"), labels)
    write_shaped["subscribed_users"] = _user_ids(raw.get("subscribed_users"), labels)
    created = raw.get("created_at")
    return LiveAlert(
        str(raw["id"]), canonical.alert(write_shaped), created if isinstance(created, str) else ""
    )


def live_alerts(raw: list[dict[str, Any]]) -> tuple[list[LiveAlert], Labels]:
    """Every live alert, canonical; a listing holding one of another shape is refused."""
    for index, item in enumerate(raw):
        problem = shape_problem(item)
        if problem is not None:
            raise MalformedAlert(index, item, problem)
    labels = Labels()
    return [live_alert(item, labels) for item in raw], labels
