"""The hog-function requests a destination change sends (destinations contract §3.2, §3.5).

Pure: the URL is passed in by the caller that read it from the environment, and goes only
into the body; nothing here keeps or prints it.
"""

from __future__ import annotations

from typing import Any

from alertsync.core.dest_kinds import (
    ALERT_EVENT,
    NAME_LABELS,
    OPTIONAL_INPUTS,
    TEMPLATES,
    URL_INPUT,
    default_inputs,
)
from alertsync.core.dest_spec import identity
from alertsync.model import Dest, Labels

MAX_NAME = 400


def functions_path(project: str) -> str:
    return f"/api/projects/{project}/hog_functions/"


def function_path(project: str, function_id: str) -> str:
    return f"{functions_path(project)}{function_id}/"


def alert_filters(alert_id: str) -> dict[str, Any]:
    """The filter PostHog's alert editor writes: the alert event, narrowed to one alert."""
    return {
        "events": [{"id": ALERT_EVENT, "type": "events"}],
        "properties": [
            {"key": "alert_id", "value": alert_id, "operator": "exact", "type": "event"}
        ],
    }


def function_name(alert_name: str, dest: Dest, labels: Labels) -> str:
    """The name the alert editor gives: `<alert>: Slack #channel`, `<alert>: Webhook host`…"""
    kind = str(dest.get("type"))
    if kind == "slack":
        channel = str(dest.get("channel"))
        suffix = f"Slack #{labels.channels.get(channel, channel)}"
    elif kind == "webhook":
        url = dest.get("url")
        suffix = f"Webhook {url.get('host') if isinstance(url, dict) else ''}".rstrip()
    else:
        suffix = NAME_LABELS.get(kind, kind)
    name = f"{alert_name}: {suffix}"
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…"


def _owned_inputs(dest: Dest, url: str | None) -> dict[str, Any]:
    """Input key → value for what the file sets: the target, and the message it overrides."""
    kind = str(dest.get("type"))
    inputs: dict[str, Any] = {}
    if kind == "slack":
        inputs["slack_workspace"] = dest.get("workspace")
        inputs["channel"] = dest.get("channel")
    elif kind in URL_INPUT and url is not None:
        inputs[URL_INPUT[kind]] = url
    for file_key, input_key in OPTIONAL_INPUTS.get(kind, {}).items():
        if file_key in dest:
            inputs[input_key] = dest[file_key]
    return inputs


def create_body(
    dest: Dest, alert_id: str, alert_name: str, url: str | None, labels: Labels
) -> dict[str, Any]:
    """POST …/hog_functions/: the editor's shape, its default message, the file's overrides."""
    kind = str(dest.get("type"))
    if kind in URL_INPUT and url is None:
        raise ValueError("a webhook-style destination is created with its URL")
    inputs = {**default_inputs(kind), **_owned_inputs(dest, url)}
    return {
        "type": "internal_destination",
        "enabled": dest.get("enabled", True),
        "masking": None,
        "template_id": TEMPLATES[kind],
        "name": function_name(alert_name, dest, labels),
        "filters": alert_filters(alert_id),
        "inputs": {key: {"value": value} for key, value in inputs.items()},
    }


def update_body(
    live_inputs: dict[str, Any],
    before: Dest,
    after: Dest,
    alert_name: str,
    url: str | None,
    labels: Labels,
) -> dict[str, Any]:
    """PATCH …/hog_functions/{id}/: `inputs` is replaced whole, so every live input is sent
    back (secret ones as PostHog's `{"secret": true}`, which keeps them), with the file's
    values over them. A new target renames the function as the editor would."""
    inputs: dict[str, Any] = {}
    for key, item in live_inputs.items():
        if isinstance(item, dict) and item.get("secret") is True:
            inputs[key] = {"secret": True}
        elif isinstance(item, dict) and "value" in item:
            inputs[key] = {"value": item["value"]}
    new_url = "url" in after and after.get("url") != before.get("url")
    if new_url and url is None:
        raise ValueError("a destination's new URL is sent with its value")
    owned = _owned_inputs(after, url if new_url else None)
    inputs.update({key: {"value": value} for key, value in owned.items()})
    body: dict[str, Any] = {"inputs": inputs}
    if "enabled" in after:
        body["enabled"] = after["enabled"]
    if identity(before) != identity(after):
        body["name"] = function_name(alert_name, after, labels)
    return body
