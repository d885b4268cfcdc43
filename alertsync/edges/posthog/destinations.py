"""An alert's destinations in PostHog: hog functions filtered on the alert's id, the Slack
integrations and channels they name, and the alert-scoped Slack endpoints (destinations
contract §3, §5, §10). The one module that knows how PostHog links a destination to its
alert, so a move to explicit ownership changes this module, not the differ (§7).

A create is never re-sent blindly: after an unknown outcome the alert's destinations are
read again and the one with the same identity is looked for first. Webhook URLs go into
request bodies only; `Http.keep_secret` keeps them out of the trace and error messages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from alertsync.core.dest_body import (
    create_body,
    function_path,
    functions_path,
    update_body,
)
from alertsync.core.dest_kinds import ALERT_EVENT, URL_INPUT, default_inputs
from alertsync.core.dest_resolve import SlackChannel, SlackWorkspace
from alertsync.core.dest_spec import (
    alert_id_of,
    channel_name,
    describe,
    env_url,
    identity,
    input_values,
    live_destination,
)
from alertsync.core.requests import alert_path
from alertsync.edges.posthog import listing
from alertsync.edges.posthog.http import Ambiguous, Call, Http
from alertsync.errors import (
    ApiError,
    ListingError,
    PermissionDenied,
)
from alertsync.model import DestChange, Labels, Written

READS = 3  # readings of a listing that must add up before it is trusted
ALL_ALERT_DESTINATIONS = {
    "type": "internal_destination",
    "full": "true",
    "filter_groups": json.dumps([{"events": [{"id": ALERT_EVENT, "type": "events"}]}]),
}
CHANNEL_PAGE = 200


class DestinationsApi:
    def __init__(self, http: Http, project: str, env: Mapping[str, str]) -> None:
        self._http = http
        self._project = project
        self._env = env

    # -- reads -------------------------------------------------------------------------

    def list_all(self, why: str = "") -> list[dict[str, Any]]:
        """Every insight-alert destination of the project, in one filtered listing."""
        action = f"listing alert destinations{', ' + why if why else ''}"
        return self._listing(ALL_ALERT_DESTINATIONS, action)

    def for_alert(self, alert_id: str) -> list[dict[str, Any]]:
        groups = [{"properties": [{"key": "alert_id", "value": alert_id}]}]
        params = {"type": "internal_destination", "full": "true"}
        found = self._listing(
            {**params, "filter_groups": json.dumps(groups)},
            f"listing the destinations of alert {alert_id}",
        )
        return [f for f in found if alert_id_of(f) == alert_id]

    def _listing(self, params: dict[str, str], action: str) -> list[dict[str, Any]]:
        path = functions_path(self._project)
        for _ in range(READS):
            pages = list(listing.pages(self._http, path, params, action))
            items = [item for page in pages for item in page.results if isinstance(item, dict)]
            ids = {item.get("id") for item in items}
            if len(ids) == len(items) == pages[0].count:
                return items
            self._http.note(f"{action}: the pages did not add up; reading them again")
        raise ListingError(f"{action}: the listing kept changing while it was read")

    def slack_workspaces(self, why: str = "") -> list[SlackWorkspace]:
        path = f"/api/environments/{self._project}/integrations/"
        action = f"listing Slack integrations{' ' + why if why else ''}"
        found = listing.items(self._http, path, {"kind": "slack"}, action)
        return [
            SlackWorkspace(item["id"], str(item.get("display_name") or item["id"]))
            for item in found
            if item.get("kind") == "slack" and isinstance(item.get("id"), int)
        ]

    def slack_channel(self, workspace: int, written: str) -> SlackChannel | None:
        """The channel a file names (by id, or by name through the paged search)."""
        path = f"/api/environments/{self._project}/integrations/{workspace}/channels/"
        name = channel_name(written)
        action = f"looking up Slack channel {written!r}"
        if name is None:
            data = self._http.json(Call("GET", path, action, params={"channel_id": written}))
            return next(iter(_channels(data)), None)
        offset = 0
        while True:
            params = {"search": name, "limit": str(CHANNEL_PAGE), "offset": str(offset)}
            data = self._http.json(Call("GET", path, action, params=params))
            page = _channels(data)
            match = next((c for c in page if c.name.lower() == name.lower()), None)
            if match is not None or not data.get("has_more") or not page:
                return match
            offset += len(page)

    def test_delivery(self, alert_id: str, name: str) -> dict[str, Any]:
        path = f"{alert_path(self._project, alert_id)}test-delivery/"
        action = f"sending a test notification for alert {name!r}"
        return listing.as_object(self._http.json(Call("POST", path, action)))

    # -- writes ------------------------------------------------------------------------

    def write(self, change: DestChange, alert_id: str, alert_name: str, labels: Labels) -> Written:
        if change.action == "create":
            return self._create(change, alert_id, alert_name, labels)
        if change.action == "update":
            return self._update(change, alert_id, alert_name, labels)
        return self._delete(change, alert_id, alert_name, labels)

    def _url(self, change: DestChange) -> str | None:
        after = change.after or {}
        if str(after.get("type")) not in URL_INPUT:
            return None
        url = env_url(self._env, str(after.get("url_env")))
        self._http.keep_secret(url)
        return url or None

    def _create(
        self, change: DestChange, alert_id: str, alert_name: str, labels: Labels
    ) -> Written:
        after = change.after or {}
        body = create_body(after, alert_id, alert_name, self._url(change), labels)
        action = f"adding {describe(after, labels)} to alert {alert_name!r}"
        try:
            made, note = self._post(functions_path(self._project), action, body, alert_id, after)
        except ApiError as exc:
            if not _path_b(exc, after):
                raise _explained(exc, after) from None
            return self._create_through_alert(after, alert_id, alert_name, labels, action)
        return Written(str(made.get("id")), note)

    def _create_through_alert(
        self, after: dict[str, Any], alert_id: str, alert_name: str, labels: Labels, action: str
    ) -> Written:
        """Path B: the alert's own Slack endpoint, for a key with alert scopes only."""
        channel = str(after.get("channel"))
        body = {
            "type": "slack",
            "slack_workspace_id": after.get("workspace"),
            "slack_channel_id": channel,
            "slack_channel_name": labels.channels.get(channel, channel),
        }
        path = f"{alert_path(self._project, alert_id)}destinations/"
        via = f"{action} (through the alert's Slack endpoint)"
        made, note = self._post(path, via, body, alert_id, after)
        ids = made.get("hog_function_ids", [made.get("id")])
        made_id = ids[0] if isinstance(ids, list) and ids else None
        return Written(
            str(made_id) if made_id else None, note or "through the alert's Slack endpoint"
        )

    def _post(
        self, path: str, action: str, body: dict[str, Any], alert_id: str, after: dict[str, Any]
    ) -> tuple[dict[str, Any], str]:
        """POST a destination, never blindly twice: after an unknown outcome, list the
        alert's destinations and look for it first (the way alerts are created)."""
        budget = self._http.retrier.budget()
        note = ""
        while True:
            try:
                call = Call("POST", path, action, body, budget=budget)
                return listing.as_object(self._http.json(call)), note
            except Ambiguous as lost:
                found = self._find(alert_id, after)
                if found is not None:
                    return {"id": found}, "recovered after a lost response: PostHog had made it"
                missing = (
                    "; a fresh listing shows no such destination on the alert, so it was not made"
                )
                retrier = self._http.retrier
                retrier.pause_to_resend(lost.error, lost.retryable, lost.wait, budget, missing)
                note = "sent again: a fresh listing showed the first attempt had not made it"

    def _find(self, alert_id: str, after: dict[str, Any]) -> str | None:
        self._http.note(
            "outcome unknown; listing the alert's destinations to see whether it was made"
        )
        for function in self.for_alert(alert_id):
            if identity(live_destination(function)) == identity(after):
                return str(function.get("id"))
        return None

    def _update(
        self, change: DestChange, alert_id: str, alert_name: str, labels: Labels
    ) -> Written:
        assert change.dest_id is not None and change.before is not None and change.after
        path = function_path(self._project, change.dest_id)
        action = f"changing {describe(change.after, labels)} of alert {alert_name!r}"
        live = listing.as_object(self._http.json(Call("GET", path, action)))
        inputs = live.get("inputs") if isinstance(live.get("inputs"), dict) else {}
        url = self._url(change)
        body = update_body(inputs or {}, change.before, change.after, alert_name, url, labels)
        try:
            self._http.json(Call("PATCH", path, action, body))
        except ApiError as exc:
            if not (_path_b(exc, change.after) and _at_defaults(live)):
                raise _explained(exc, change.after, live) from None
            # Path B has no update: add the new channel, then remove the old one.
            self._create_through_alert(change.after, alert_id, alert_name, labels, action)
            self._delete_through_alert(change.dest_id, alert_id, action)
            return Written(change.dest_id, "replaced through the alert's Slack endpoint")
        return Written(change.dest_id)

    def _delete_through_alert(self, function_id: str, alert_id: str, action: str) -> None:
        """Path B's soft delete (any of the alert's destinations), for alert-scoped keys."""
        body = {"hog_function_ids": [function_id]}
        path = f"{alert_path(self._project, alert_id)}destinations/delete/"
        self._http.send(Call("POST", path, f"{action} (through the alert's endpoint)", body))

    def _delete(
        self, change: DestChange, alert_id: str, alert_name: str, labels: Labels
    ) -> Written:
        assert change.dest_id is not None
        path = function_path(self._project, change.dest_id)
        action = f"removing {describe(change.before or {}, labels)} from alert {alert_name!r}"
        try:
            self._http.json(Call("PATCH", path, action, {"deleted": True, "enabled": False}))
        except ApiError as exc:
            if isinstance(exc, PermissionDenied) or _managed_by_alert_api(exc):
                self._delete_through_alert(change.dest_id, alert_id, action)
                return Written(change.dest_id, "through the alert's destinations endpoint")
            if exc.status == 404:
                return Written(change.dest_id, "already gone")
            raise
        return Written(change.dest_id)


PATH_B_CANNOT = ("text", "blocks")  # the alert's Slack endpoint sends PostHog's message only


def _path_b(exc: ApiError, after: Mapping[str, Any]) -> bool:
    """Whether the alert's own Slack endpoint can do what the hog-function API refused: a
    key without hog_function:write, or a PostHog that manages alert destinations only
    through its alert API (§4.1, §5), for a Slack destination at PostHog's message."""
    refused = isinstance(exc, PermissionDenied) or _managed_by_alert_api(exc)
    plain = not any(key in after for key in PATH_B_CANNOT) and after.get("enabled") is not False
    return refused and after.get("type") == "slack" and plain


def _at_defaults(live: Mapping[str, Any]) -> bool:
    """Whether a live Slack destination is what the alert's Slack endpoint would make again
    (enabled, PostHog's message, no icon or name of its own): only then may a change of
    channel go through that endpoint, which replaces it."""
    values = input_values(live)
    defaults = {**default_inputs("slack"), "icon_emoji": ":hedgehog:", "username": "PostHog"}
    custom = any(values.get(k) not in (None, "", v) for k, v in defaults.items())
    extra = any(values.get(k) not in (None, "") for k in ("thread_ts",))
    return live.get("enabled") is True and not custom and not extra


def _explained(
    exc: ApiError, after: Mapping[str, Any], live: Mapping[str, Any] | None = None
) -> ApiError:
    if not (isinstance(exc, PermissionDenied) or _managed_by_alert_api(exc)):
        return exc
    needs = (
        "this PostHog takes alert destinations only through its alert API, whose Slack endpoint"
        if _managed_by_alert_api(exc)
        else "the alert's own Slack endpoint (which a key without hog_function:write may use)"
    )
    if after.get("type") == "slack" and live is not None and not _at_defaults(live):
        why = (
            f"{needs} would replace this destination with a new one at PostHog's message, "
            "losing its own message, icon or disabled state; change it in PostHog, or use a "
            "key with hog_function:write"
        )
    elif after.get("type") == "slack":
        why = f"{needs} sends PostHog's message only: text, blocks and enabled cannot be set there"
    elif _managed_by_alert_api(exc):
        why = (
            "this PostHog manages alert destinations only through its alert API, which "
            "takes Slack destinations only"
        )
    else:
        return exc
    return type(exc)(exc.status, exc.body, f"{exc.action} ({why})")


def _managed_by_alert_api(exc: ApiError) -> bool:
    """PostHog's managed-event guard refused the alert event (a server where insight-alert
    destinations are no longer exempt, contract §4.1)."""
    return exc.status == 400 and exc.body.attr == "filters" and "alert API" in exc.body.detail


def _channels(data: Any) -> list[SlackChannel]:
    raw = data.get("channels") if isinstance(data, dict) else None
    return [
        SlackChannel(
            str(c.get("id")),
            str(c.get("name")),
            c.get("is_member") is True,
            c.get("is_private_without_access") is True,
        )
        for c in raw or []
        if isinstance(c, dict) and c.get("id")
    ]
