"""The four destination templates alert destinations use (destinations contract §2, TPL).

Ids, names, icons, input keys, types, required flags and defaults follow PostHog's
templates; the Hog code and the help texts are the emulator's own (the code never runs
here). None of these inputs is secret. A function created from a template copies ``hog``,
``inputs_schema``, ``icon_url``, ``description`` and ``name`` from it (HF
``to_internal_value``), and its read shape nests the template (:func:`render_template`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PERSON_EVENT_TEXT = "**{person.name}** triggered event: '{event.event}'"


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    description: str
    icon_url: str
    code: str
    inputs_schema: tuple[dict[str, Any], ...]
    free: bool = True
    status: str = "stable"
    category: tuple[str, ...] = ("Customer Success",)


def _input(
    key: str, kind: str, label: str, *, required: bool = False, **extra: Any
) -> dict[str, Any]:
    return {
        "key": key,
        "type": kind,
        "label": label,
        **extra,
        "secret": False,
        "required": required,
    }


_SLACK_CODE = """\
let res := fetch('https://slack.com/api/chat.postMessage', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {inputs.slack_workspace.access_token}',
    'Content-Type': 'application/json'
  },
  'body': {
    'channel': inputs.channel,
    'icon_emoji': inputs.icon_emoji,
    'username': inputs.username,
    'blocks': inputs.blocks,
    'text': inputs.text
  }
});
if (res.status != 200 or res.body.ok == false) {
  throw Error(f'Slack refused the message: {res.status}: {res.body}');
}"""

_WEBHOOK_CODE = """\
let res := fetch(inputs.url, {
  'headers': inputs.headers,
  'body': inputs.body,
  'method': inputs.method
});
if (inputs.debug) {
  print('Response', res.status, res.body);
}
if (res.status >= 300) {
  throw Error(f'The webhook answered {res.status}: {res.body}');
}"""

_DISCORD_CODE = """\
if (not match(inputs.webhookUrl, '^https://discord.com/api/webhooks/.*')) {
  throw Error('Invalid URL: expected https://discord.com/api/webhooks/...');
}
let parse := [];
if (inputs.allowedMentions == 'roles_users') {
  parse := ['roles', 'users'];
} else if (inputs.allowedMentions == 'everyone') {
  parse := ['everyone', 'roles', 'users'];
}
let res := fetch(inputs.webhookUrl, {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': {'content': inputs.content, 'allowed_mentions': {'parse': parse}}
});
if (res.status >= 400) {
  throw Error(f'Discord refused the message: {res.status}: {res.body}');
}"""

_TEAMS_CODE = """\
let card := {
  'type': 'AdaptiveCard',
  'version': '1.2',
  'body': [{'type': 'TextBlock', 'text': inputs.text, 'wrap': true}]
};
let res := fetch(inputs.webhookUrl, {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': {
    'type': 'message',
    'attachments': [{'contentType': 'application/vnd.microsoft.card.adaptive', 'content': card}]
  }
});
if (res.status >= 400) {
  throw Error(f'Microsoft Teams refused the message: {res.status}: {res.body}');
}"""

_SLACK_DEFAULT_BLOCKS = [
    {
        "text": {"text": "*{person.name}* triggered event: '{event.event}'", "type": "mrkdwn"},
        "type": "section",
    },
    {
        "type": "actions",
        "elements": [
            {
                "url": "{person.url}",
                "text": {"text": "View Person", "type": "plain_text"},
                "type": "button",
            },
            {
                "url": "{source.url}",
                "text": {"text": "Message source", "type": "plain_text"},
                "type": "button",
            },
        ],
    },
]

_METHODS = [
    {"label": method, "value": method} for method in ("POST", "PUT", "PATCH", "GET", "DELETE")
]
_MENTIONS = [
    {"label": "None: mentions show as text", "value": "none"},
    {"label": "Roles and users", "value": "roles_users"},
    {"label": "Everyone, roles and users", "value": "everyone"},
]

TEMPLATES: dict[str, Template] = {
    template.id: template
    for template in (
        Template(
            id="template-slack",
            name="Slack",
            description="Posts a message to a Slack channel",
            icon_url="/static/services/slack.png",
            code=_SLACK_CODE,
            inputs_schema=(
                _input(
                    "slack_workspace",
                    "integration",
                    "Slack workspace",
                    required=True,
                    integration="slack",
                    requiredScopes="channels:read groups:read chat:write chat:write.customize",
                    hidden=False,
                ),
                _input(
                    "channel",
                    "integration_field",
                    "Channel",
                    required=True,
                    integration_key="slack_workspace",
                    integration_field="slack_channel",
                    description="A channel id such as C0123ABC (preferred) or #channel-name.",
                    hidden=False,
                ),
                _input("icon_emoji", "string", "Emoji icon", default=":hedgehog:", hidden=False),
                _input("username", "string", "Bot name", default="PostHog", hidden=False),
                _input("blocks", "json", "Blocks", default=_SLACK_DEFAULT_BLOCKS, hidden=False),
                _input(
                    "text",
                    "string",
                    "Plain text message",
                    default="*{person.name}* triggered event: '{event.event}'",
                    hidden=False,
                ),
                _input("thread_ts", "string", "Reply in thread", hidden=False),
            ),
        ),
        Template(
            id="template-webhook",
            name="HTTP Webhook",
            description="Sends a webhook templated with the event's data",
            icon_url="/static/services/webhook.svg",
            code=_WEBHOOK_CODE,
            free=False,
            category=("Custom",),
            inputs_schema=(
                _input("url", "string", "Webhook URL", required=True),
                _input("method", "choice", "Method", choices=_METHODS, default="POST"),
                _input(
                    "body", "json", "JSON Body", default={"event": "{event}", "person": "{person}"}
                ),
                _input(
                    "headers",
                    "dictionary",
                    "Headers",
                    default={"Content-Type": "application/json", "Accept": "application/json"},
                ),
                _input("debug", "boolean", "Log responses", default=False),
            ),
        ),
        Template(
            id="template-discord",
            name="Discord",
            description="Posts a message to a Discord channel",
            icon_url="/static/services/discord.png",
            code=_DISCORD_CODE,
            inputs_schema=(
                _input("webhookUrl", "string", "Webhook URL", required=True),
                _input("content", "string", "Content", required=True, default=PERSON_EVENT_TEXT),
                _input(
                    "allowedMentions",
                    "choice",
                    "Allowed mentions",
                    required=True,
                    choices=_MENTIONS,
                    default="none",
                ),
            ),
        ),
        Template(
            id="template-microsoft-teams",
            name="Microsoft Teams",
            description="Posts a message to a Microsoft Teams channel",
            icon_url="/static/services/microsoft-teams.png",
            code=_TEAMS_CODE,
            inputs_schema=(
                _input("webhookUrl", "string", "Webhook URL", required=True),
                _input("text", "string", "Text", required=True, default=PERSON_EVENT_TEXT),
            ),
        ),
    )
}

# The destination kind a template id stands for, in receipts and path B (DC ``DestinationType``).
DESTINATION_KINDS = {
    "template-slack": "slack",
    "template-discord": "discord",
    "template-webhook": "webhook",
    "template-microsoft-teams": "teams",
}


def find_template(template_id: str | None) -> Template | None:
    return TEMPLATES.get(template_id) if template_id else None


def render_template(template: Template | None) -> dict[str, Any] | None:
    """``HogFunctionTemplateSerializer``: the template nested in a function's read shape."""
    if template is None:
        return None
    return {
        "id": template.id,
        "name": template.name,
        "description": template.description,
        "code": template.code,
        "code_language": "hog",
        "inputs_schema": [dict(item) for item in template.inputs_schema],
        "type": "destination",
        "status": template.status,
        "category": list(template.category),
        "free": template.free,
        "icon_url": template.icon_url,
        "filters": None,
        "masking": None,
        "mapping_templates": None,
    }
