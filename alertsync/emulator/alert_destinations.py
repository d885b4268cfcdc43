"""Path B: an alert's own Slack destinations (destinations contract §5; IAD, DC, DS, FD, ZD).

``POST …/alerts/{id}/destinations/`` creates exactly the path-A Slack function the alert
editor would (IAD): name ``"<alert name or Alert>: Slack #<channel name or 'channel'>"``
(clipped to 400 characters), filters ``{"source": "internal-events", events, properties}``
as the backfill migration stores them, inputs ``blocks``, ``text``, ``slack_workspace`` and
``channel``; 201 ``{"hog_function_ids": [id]}``. ``POST …/destinations/delete/`` soft-deletes
(``deleted``, ``enabled: false``) destinations of this alert; 204. Scope ``alert:write``.

The viewset action itself was not in the sources read. Decisions, from what was:
* Body fields as the generated schema (ZD) declares them: ``type`` a choice of ``slack``
  (default ``slack``), ``slack_workspace_id`` (integer) and ``slack_channel_id`` required,
  ``slack_channel_name`` optional; DRF's own messages for those, then DC
  ``validate_destination_data`` (``<field> is required for Slack destinations.``, attr the
  field; reachable with a falsy value such as workspace ``0``).
* The alert is looked up first (404), as every alert action does with ``get_object``.
* At most 5 destinations (FD): 400 ``Maximum number of destinations (5) reached for this
  alert.`` (the sibling products' text, attr null). The same workspace and channel twice:
  400 ``This destination is already configured for this alert.`` (newest ``logic/destinations``).
* Delete: 1 to 100 UUIDs; ids that are not this alert's live destinations → 400 attr
  ``hog_function_ids`` naming them (DS); naming only part of a group of destinations with the
  same settings → 400 ``Delete all destinations in this group together.``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from alertsync.emulator.drf import FieldError, required
from alertsync.emulator.drf_values import char_field, integer_field, list_field, under, uuid_field
from alertsync.emulator.hog_filters import INSIGHT_ALERT_EVENT
from alertsync.emulator.hog_service import HogFunctionService
from alertsync.emulator.hog_stored import HogFunction
from alertsync.emulator.refusals import validation_error
from alertsync.emulator.routing import Call, resolve_project
from alertsync.emulator.seed import Seed
from alertsync.emulator.service import AlertService
from alertsync.emulator.views import read_json
from alertsync.emulator.wire import Response, empty_response, json_response

MAX_DESTINATIONS_PER_ALERT = 5
MAX_IDS_PER_DELETE = 100
MAX_NAME_LENGTH = 400
TOO_MANY = f"Maximum number of destinations ({MAX_DESTINATIONS_PER_ALERT}) reached for this alert."
ALREADY_CONFIGURED = "This destination is already configured for this alert."
WHOLE_GROUP = "Delete all destinations in this group together."
UNREADABLE_GROUP = (
    "Some destinations of this type have settings that can no longer be read. To delete any "
    "of them, remove every destination of this type together."
)
_SNOOZES = (("For 1 hour", "1h"), ("For 6 hours", "6h"), ("For 1 day", "1d"),
            ("For 1 week", "1w"), ("Pick a date & time…", "custom"))  # fmt: skip
_PROPS = "event.properties"


def insight_alert_blocks() -> list[Any]:
    """The Slack message an insight alert posts (SUB's ``insight-alert-firing``, IAD)."""
    alert_page = (
        f"concat(project.url, '/insights/', {_PROPS}.insight_id, '/alerts?alert_id=', "
        f"{_PROPS}.alert_id)"
    )
    notebook = f"{_PROPS}.investigation_notebook_url"
    chart = (
        f"{{{_PROPS}.insight_chart_url ? {{'type': 'image', "
        f"'image_url': {_PROPS}.insight_chart_url, 'alt_text': 'Insight chart'}} "
        ": {'type': 'divider'}}"
    )
    return [
        _text_block(
            "header",
            f"Alert '{{{_PROPS}.alert_name}}' firing for insight '{{{_PROPS}.insight_name}}'",
        ),
        _text_block("section", f"{{{_PROPS}.breaches}}"),
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": "Project: <{project.url}|{project.name}>"}],
        },
        chart,
        {
            "type": "actions",
            "block_id": f"insight_alert_snooze:{{{_PROPS}.alert_id}}",
            "elements": [
                _button(
                    f"{{{notebook} ? 'View Investigation' : 'View Alert'}}",
                    f"{{{notebook} ? {notebook} : {alert_page}}}",
                ),
                _button("View Insight", f"{{project.url}}/insights/{{{_PROPS}.insight_id}}"),
                {
                    "type": "static_select",
                    "action_id": "insight_alert_snooze",
                    "placeholder": {"type": "plain_text", "text": "Snooze…"},
                    "options": [
                        {
                            "text": {"type": "plain_text", "text": label},
                            "value": f"{{{_PROPS}.alert_id}}|{code}",
                        }
                        for label, code in _SNOOZES
                    ],
                },
            ],
        },
    ]


def _text_block(kind: str, text: str) -> dict[str, Any]:
    return {"type": kind, "text": {"type": "plain_text", "text": text}}


def _button(text: str, url: str) -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "url": url}


def slack_payload(alert_id: str, alert_name: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """IAD ``build_insight_alert_slack_config``: the hog-function body path B creates."""
    name = f"{alert_name or 'Alert'}: Slack #{data.get('slack_channel_name') or 'channel'}"
    if len(name) > MAX_NAME_LENGTH:
        name = name[: MAX_NAME_LENGTH - 1] + "…"
    return {
        "type": "internal_destination",
        "enabled": True,
        "filters": {
            "source": "internal-events",
            "events": [{"id": INSIGHT_ALERT_EVENT, "type": "events"}],
            "properties": [
                {"key": "alert_id", "value": alert_id, "operator": "exact", "type": "event"}
            ],
        },
        "name": name,
        "template_id": "template-slack",
        "inputs": {
            "blocks": {"value": insight_alert_blocks()},
            "text": {"value": f"Alert triggered: {{{_PROPS}.insight_name}}"},
            "slack_workspace": {"value": data["slack_workspace_id"]},
            "channel": {"value": data["slack_channel_id"]},
        },
    }


def group_key(function: HogFunction) -> tuple[str | None, Any]:
    """DC ``DestinationSpec.read``: the settings that make two destinations the same one."""

    def value(key: str) -> Any:
        item = function.inputs.get(key)
        return item.get("value") if isinstance(item, dict) else None

    if function.template_id == "template-slack":
        workspace, channel = value("slack_workspace"), value("channel")
        config = tuple(
            pair
            for pair in (("slack_channel_id", channel), ("slack_workspace_id", workspace))
            if isinstance(pair[1], str if pair[0] == "slack_channel_id" else int)
        )
    else:
        url = value("url" if function.template_id == "template-webhook" else "webhookUrl")
        config = (("webhook_url", url),) if isinstance(url, str) else ()
    return function.template_id, config or None


class AlertDestinationViews:
    def __init__(self, seed: Seed, alerts: AlertService, functions: HogFunctionService) -> None:
        self._seed = seed
        self._alerts = alerts
        self._functions = functions

    def create(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        alert = self._alerts.get(call.params["alert"], key=call.key).alert
        data = _create_body(read_json(call.request))
        owned = self._functions.owned_by(alert.id)
        if len(owned) >= MAX_DESTINATIONS_PER_ALERT:
            raise validation_error(TOO_MANY)
        wanted = (
            "template-slack",
            (
                ("slack_channel_id", data["slack_channel_id"]),
                ("slack_workspace_id", data["slack_workspace_id"]),
            ),
        )
        if any(group_key(function) == wanted for function in owned):
            raise validation_error(ALREADY_CONFIGURED)
        payload = slack_payload(alert.id, alert.name, data)
        function = self._functions.create(payload, call.key.user_id, trusted=True)
        return json_response(201, {"hog_function_ids": [function.id]})

    def delete(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        alert = self._alerts.get(call.params["alert"], key=call.key).alert
        ids = _delete_body(read_json(call.request))
        owned = {function.id: function for function in self._functions.owned_by(alert.id)}
        strangers = sorted(set(ids) - set(owned))
        if strangers:
            detail = (
                f"These HogFunctions do not belong to this alert: {', '.join(strangers)}. "
                "Refresh the alert and try again."
            )
            raise validation_error(detail, attr="hog_function_ids")
        _check_whole_groups(set(ids), list(owned.values()))
        self._functions.soft_delete(owned[function_id] for function_id in dict.fromkeys(ids))
        return empty_response(204)


def _create_body(body: Any) -> dict[str, Any]:
    steps: list[tuple[str, Callable[[Any], Any], bool]] = [
        ("type", _slack_type, False),
        ("slack_workspace_id", integer_field, True),
        ("slack_channel_id", char_field, True),
        ("slack_channel_name", char_field, False),
    ]
    data = _fields(body, steps)
    data.setdefault("type", "slack")
    missing = [name for name in ("slack_workspace_id", "slack_channel_id") if not data.get(name)]
    if len(missing) == 1:
        raise validation_error(f"{missing[0]} is required for Slack destinations.", attr=missing[0])
    if missing:
        raise validation_error(
            "Slack destinations require slack_workspace_id and slack_channel_id."
        )
    return data


def _slack_type(value: Any) -> str:
    if str(value) != "slack":
        raise FieldError(f'"{value}" is not a valid choice.', "invalid_choice")
    return "slack"


def _delete_body(body: Any) -> list[str]:
    def ids(value: Any) -> list[str]:
        items = list_field(value, allow_empty=False, max_length=MAX_IDS_PER_DELETE)
        checked: list[str] = []
        for index, item in enumerate(items):
            try:
                checked.append(uuid_field(item))
            except FieldError as error:
                raise under(error, index) from None
        return checked

    return list(_fields(body, [("hog_function_ids", ids, True)])["hog_function_ids"])


def _fields(body: Any, steps: list[tuple[str, Callable[[Any], Any], bool]]) -> dict[str, Any]:
    """A plain DRF serializer: the first failing field in declaration order."""
    if body is None:
        raise validation_error("This field may not be null.", "null")
    if not isinstance(body, Mapping):
        detail = f"Invalid data. Expected a dictionary, but got {type(body).__name__}."
        raise validation_error(detail)
    data: dict[str, Any] = {}
    for name, check, is_required in steps:
        try:
            if name not in body:
                if is_required:
                    raise required()
                continue
            if body[name] is None:
                raise FieldError("This field may not be null.", "null")
            data[name] = check(body[name])
        except FieldError as error:
            raise validation_error(
                error.detail, error.code, "__".join((name, *error.path))
            ) from None
    return data


def _check_whole_groups(ids: set[str], owned: list[HogFunction]) -> None:
    keys = {function.id: group_key(function) for function in owned}
    unreadable = {template for template, config in keys.values() if config is None}
    groups: dict[Any, set[str]] = {}
    for function_id, (template, config) in keys.items():
        widened = (template, None) if template in unreadable else (template, config)
        groups.setdefault(widened, set()).add(function_id)
    for (_, config), members in groups.items():
        if members & ids and not members <= ids:
            raise validation_error(
                WHOLE_GROUP if config is not None else UNREADABLE_GROUP, attr="hog_function_ids"
            )
