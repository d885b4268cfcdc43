"""The live state: raw API alerts (read shape) → canonical alerts, plus display labels."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
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


@dataclass
class LivePage:
    """One page of the listing, canonical: what a plan keeps of it (not the raw alerts)."""

    alerts: list[LiveAlert] = field(default_factory=list)
    labels: Labels = field(default_factory=Labels)
    malformed: MalformedAlert | None = None  # the page's first alert of another shape


def live_page(raw: list[dict[str, Any]], first: int = 0) -> LivePage:
    """A page of raw alerts, the first at index `first` of the listing, made canonical."""
    page = LivePage()
    for index, item in enumerate(raw, first):
        problem = shape_problem(item)
        if problem is not None:
            page.malformed = MalformedAlert(index, item, problem)
            page.alerts = []
            return page
        page.alerts.append(live_alert(item, page.labels))
    return page


def joined(pages: Iterable[LivePage]) -> tuple[list[LiveAlert], Labels]:
    """The pages' alerts in order, and their labels; a listing holding an alert of another
    shape is refused (the first one, in listing order)."""
    found = list(pages)
    for page in found:
        if page.malformed is not None:
            raise page.malformed
    labels = Labels()
    for page in found:
        labels.merge(page.labels)
    return [alert for page in found for alert in page.alerts], labels


def live_alerts(raw: list[dict[str, Any]]) -> tuple[list[LiveAlert], Labels]:
    """Every live alert, canonical; a listing holding one of another shape is refused."""
    return joined([live_page(raw)])
