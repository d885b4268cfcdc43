"""The requests a change implies: one place that knows the alerts API's paths and methods."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alertsync.model import Change


def alerts_path(project: str) -> str:
    return f"/api/projects/{project}/alerts/"


def alert_path(project: str, alert_id: str) -> str:
    return f"{alerts_path(project)}{alert_id}/"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: dict[str, Any] | None

    def as_dict(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "body": self.body}


def request_for(change: Change, project: str) -> Request:
    if change.action == "create":
        return Request("POST", alerts_path(project), change.body)
    path = alert_path(project, str(change.alert_id))
    if change.action == "update":
        return Request("PATCH", path, change.body)
    return Request("DELETE", path, None)
