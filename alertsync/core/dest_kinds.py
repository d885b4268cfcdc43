"""The four kinds of alert destination: their PostHog templates, their inputs, and the
message the alert editor sends (destinations contract §2, SUB and IAD).

A destination made here looks like one made in PostHog's alert editor: the same template,
the same filter and the same default message inputs.
"""

from __future__ import annotations

from typing import Any

KINDS = ("slack", "webhook", "discord", "teams")
TEMPLATES = {
    "slack": "template-slack",
    "webhook": "template-webhook",
    "discord": "template-discord",
    "teams": "template-microsoft-teams",
}
KIND_OF_TEMPLATE = {template: kind for kind, template in TEMPLATES.items()}
KIND_LABELS = {"slack": "Slack", "webhook": "webhook", "discord": "Discord", "teams": "Teams"}
NAME_LABELS = {"discord": "Discord", "teams": "Microsoft Teams"}  # in the editor's names

URL_INPUT = {"webhook": "url", "discord": "webhookUrl", "teams": "webhookUrl"}  # a credential
URL_KINDS = tuple(URL_INPUT)

# The message inputs a file may set (file key → PostHog input key): owned only when set, so
# a destination left at the defaults never shows a diff when PostHog's copy of them moves.
OPTIONAL_INPUTS: dict[str, dict[str, str]] = {
    "slack": {"text": "text", "blocks": "blocks"},
    "webhook": {"method": "method", "headers": "headers", "body": "body"},
    "discord": {"content": "content", "allowed_mentions": "allowedMentions"},
    "teams": {"text": "text"},
}
FILE_KEY = {kind: {v: k for k, v in keys.items()} for kind, keys in OPTIONAL_INPUTS.items()}
WEBHOOK_METHODS = ("POST", "PUT", "PATCH", "GET", "DELETE")
ALLOWED_MENTIONS = ("none", "roles_users", "everyone")
ALERT_EVENT = "$insight_alert_firing"

_P = "event.properties"
_ALERT_PAGE = f"{{project.url}}/insights/{{{_P}.insight_id}}/alerts?alert_id={{{_P}.alert_id}}"
_SNOOZES = (("For 1 hour", "1h"), ("For 6 hours", "6h"), ("For 1 day", "1d"),
            ("For 1 week", "1w"), ("Pick a date & time…", "custom"))  # fmt: skip


def _plain(kind: str, text: str) -> dict[str, Any]:
    return {"type": kind, "text": {"type": "plain_text", "text": text}}


def _button(text: str, url: str) -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "url": url}


def slack_blocks() -> list[Any]:
    """The Slack message of a firing insight alert, as the alert editor and PostHog's own
    alert API build it (SUB `insight-alert-firing`, IAD)."""
    notebook = f"{_P}.investigation_notebook_url"
    alert_page = (
        f"concat(project.url, '/insights/', {_P}.insight_id, '/alerts?alert_id=', {_P}.alert_id)"
    )
    chart = (
        f"{{{_P}.insight_chart_url ? {{'type': 'image', 'image_url': {_P}.insight_chart_url, "
        "'alt_text': 'Insight chart'} : {'type': 'divider'}}"
    )
    return [
        _plain("header", f"Alert '{{{_P}.alert_name}}' firing for insight '{{{_P}.insight_name}}'"),
        _plain("section", f"{{{_P}.breaches}}"),
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": "Project: <{project.url}|{project.name}>"}],
        },
        chart,
        {
            "type": "actions",
            "block_id": f"insight_alert_snooze:{{{_P}.alert_id}}",
            "elements": [
                _button(
                    f"{{{notebook} ? 'View Investigation' : 'View Alert'}}",
                    f"{{{notebook} ? {notebook} : {alert_page}}}",
                ),
                _button("View Insight", f"{{project.url}}/insights/{{{_P}.insight_id}}"),
                {
                    "type": "static_select",
                    "action_id": "insight_alert_snooze",
                    "placeholder": {"type": "plain_text", "text": "Snooze…"},
                    "options": [
                        {
                            "text": {"type": "plain_text", "text": label},
                            "value": f"{{{_P}.alert_id}}|{code}",
                        }
                        for label, code in _SNOOZES
                    ],
                },
            ],
        },
    ]


def default_inputs(kind: str) -> dict[str, Any]:
    """The message inputs (PostHog input key → value) the alert editor sends for a kind."""
    firing = f"**Alert '{{{_P}.alert_name}}' firing** for insight '{{{_P}.insight_name}}'"
    if kind == "slack":
        return {"text": f"Alert triggered: {{{_P}.insight_name}}", "blocks": slack_blocks()}
    if kind == "webhook":
        return {
            "method": "POST",
            "body": {
                "alert_name": f"{{{_P}.alert_name}}",
                "insight_name": f"{{{_P}.insight_name}}",
                "breaches": f"{{{_P}.breaches}}",
                "insight_url": f"{{project.url}}/insights/{{{_P}.insight_id}}",
                "alert_url": _ALERT_PAGE,
            },
        }
    if kind == "discord":
        return {
            "content": f"{firing}\n{{{_P}.breaches}}\n{_ALERT_PAGE}",
            "allowedMentions": "none",
        }
    if kind == "teams":
        return {"text": f"{firing}\n\n{{{_P}.breaches}}\n\n[View alert]({_ALERT_PAGE})"}
    return {}
