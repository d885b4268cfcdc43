"""The integration endpoints a destination client needs (destinations contract §10, §7; INT).

``list`` (``?kind=``), ``retrieve`` and ``channels`` (``integration:read``), and ``destroy``
(``integration:write``), which is refused while an enabled hog function uses the integration.
"""

from __future__ import annotations

from collections.abc import Callable

from alertsync.emulator.drf import FieldError
from alertsync.emulator.drf_values import char_field, integer_field
from alertsync.emulator.hog_service import HogFunctionService
from alertsync.emulator.hog_stored import HogFunction
from alertsync.emulator.integrations import IntegrationService
from alertsync.emulator.pagination import paginated, window_from
from alertsync.emulator.refusals import validation_error
from alertsync.emulator.routing import Call, resolve_project
from alertsync.emulator.seed import Seed
from alertsync.emulator.wire import Response, empty_response, json_response

# ``Integration.IntegrationKind`` (a newer version): ``?kind=`` is a choice filter.
KINDS = (
    "slack", "salesforce", "hubspot", "google-pubsub", "google-cloud-storage", "google-ads",
    "google-analytics", "google-search-console", "google-sheets", "google-cloud-service-account",
    "snapchat", "linkedin-ads", "reddit-ads", "tiktok-ads", "bing-ads", "meta-ads",
    "pinterest-ads", "intercom", "email", "linear", "github", "gitlab", "jira", "clickup",
    "twilio", "databricks", "azure-blob", "aws-s3", "s3-compatible", "postgresql", "firebase",
    "apns", "stripe", "anthropic", "customerio-app", "customerio-track", "customerio-webhook",
    "vercel",
)  # fmt: skip


class IntegrationViews:
    def __init__(
        self,
        seed: Seed,
        integrations: IntegrationService,
        functions: HogFunctionService,
        base_url: Callable[[], str],
    ) -> None:
        self._seed = seed
        self._integrations = integrations
        self._functions = functions
        self._base_url = base_url

    def list(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        query = call.request.query
        kind = query.get("kind") or None
        if kind is not None and kind not in KINDS:
            detail = f"Select a valid choice. {kind} is not one of the available choices."
            raise validation_error(detail, "invalid_choice", attr="kind")
        items = [self._integrations.render(item) for item in self._integrations.all(kind)]
        window = window_from(query)
        page = items[window.offset : window.offset + window.limit]
        url = call.request.absolute_url(self._base_url())
        return json_response(200, paginated(len(items), page, window, url))

    def retrieve(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        integration = self._integrations.get(call.params["integration"])
        return json_response(200, self._integrations.render(integration))

    def channels(self, call: Call) -> Response:
        """``channel_id`` is looked up before the paging parameters are even read (INT)."""
        resolve_project(call.params["project"], self._seed)
        integration = self._integrations.get(call.params["integration"])
        self._integrations.slack_ready(integration)
        query = call.request.query
        user_id = call.key.user_id
        if query.get("channel_id"):
            found = self._integrations.channel_by_id(integration, query["channel_id"], user_id)
            return json_response(200, {"channels": found})
        search, limit, offset = _paging(query)
        page = self._integrations.channel_page(integration, user_id, search, limit, offset)
        return json_response(200, page)

    def destroy(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        integration = self._integrations.get(call.params["integration"])
        users = [
            function.name or function.id
            for function in self._functions.all()
            if function.alive and _uses(function, integration.id)
        ]
        if users:
            detail = (
                f"This integration is used by enabled data pipelines: {', '.join(sorted(users))}. "
                "Update them to use a different integration before disconnecting it."
            )
            raise validation_error(detail)
        self._integrations.delete(integration.id)
        return empty_response(204)


def _paging(query: dict[str, str]) -> tuple[str, int, int]:
    """``SlackChannelsQuerySerializer``: search, limit (1 to 200, default 50), offset (≥ 0)."""
    values: dict[str, object] = {"search": "", "limit": 50, "offset": 0}
    checks: dict[str, Callable[[str], object]] = {
        "search": lambda v: char_field(v, allow_blank=True),
        "limit": lambda v: integer_field(v, minimum=1, maximum=200),
        "offset": lambda v: integer_field(v, minimum=0),
    }
    for name, check in checks.items():
        if name in query:
            try:
                values[name] = check(query[name])
            except FieldError as error:
                raise validation_error(error.detail, error.code, attr=name) from None
    return str(values["search"]), int(str(values["limit"])), int(str(values["offset"]))


def _uses(function: HogFunction, integration_id: int) -> bool:
    """An integration input holding the integration's id."""
    for entry in function.inputs_schema:
        item = function.inputs.get(str(entry.get("key")))
        value = item.get("value") if isinstance(item, dict) else None
        if entry.get("type") == "integration" and value == integration_id:
            return True
    return False
