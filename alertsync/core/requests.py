"""The requests a change implies: one place that knows the alerts API's paths and methods."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alertsync.model import Change, DestChange


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


def request_for(change: Change, project: str) -> Request | None:
    """The alert's own request; None for an update that changes only its destinations."""
    if not change.sends_alert:
        return None
    if change.action == "create":
        return Request("POST", alerts_path(project), change.body)
    path = alert_path(project, str(change.alert_id))
    if change.action == "update":
        return Request("PATCH", path, change.body)
    return Request("DELETE", path, None)


def destination_request(change: DestChange, project: str) -> Request | None:
    """The hog-function request a destination change sends (its inputs are filled at apply:
    they hold the URL and the live inputs kept); None for one that goes with its alert."""
    base = f"/api/projects/{project}/hog_functions/"
    if change.cascade:
        return None
    if change.action == "create":
        return Request("POST", base, None)
    path = f"{base}{change.dest_id}/"
    if change.action == "update":
        return Request("PATCH", path, None)
    return Request("PATCH", path, {"deleted": True, "enabled": False})
