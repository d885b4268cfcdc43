"""The alert endpoints: list, create, retrieve, update (PUT), partial_update, destroy."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from alertsync.emulator.pagination import paginated, window_from
from alertsync.emulator.refusals import parse_error, server_error, unsupported_media_type
from alertsync.emulator.routing import Call, resolve_project
from alertsync.emulator.seed import Seed
from alertsync.emulator.service import AlertFilter, AlertService
from alertsync.emulator.shapes import render_alert
from alertsync.emulator.wire import Request, Response, empty_response, json_response


def read_json(request: Request) -> Any:
    """The body as DRF's JSONParser reads it: no body or no content type gives ``{}``."""
    content_type = request.headers.get("content-type")
    if not request.body or content_type is None:
        return {}
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise unsupported_media_type(content_type)
    try:
        return json.loads(request.body.decode("utf-8"), parse_constant=_reject_constant)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError both are
        raise parse_error(str(exc)) from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"Out of range float values are not JSON compliant: {name!r}")


def alert_filter(call: Call, *params: str) -> AlertFilter:
    """The insight filter; a non-numeric value fails in the ORM, which PostHog answers 500."""
    insight_ids: list[int] = []
    for name in params:
        text = call.request.query.get(name, "")
        if text:
            try:
                insight_ids.append(int(text))
            except ValueError:
                raise server_error() from None
    return AlertFilter(tuple(insight_ids))


class AlertViews:
    def __init__(self, seed: Seed, service: AlertService, base_url: Callable[[], str]) -> None:
        self._seed = seed
        self._service = service
        self._base_url = base_url

    def list(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        window = window_from(call.request.query)
        where = alert_filter(call, "insight", "insight_id")
        count, alerts = self._service.page(window, where)
        results = [render_alert(alert, self._seed, checks=True) for alert in alerts]
        url = call.request.absolute_url(self._base_url())
        return json_response(200, paginated(count, results, window, url))

    def create(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        alert = self._service.create(read_json(call.request), call.key.user_id)
        return json_response(201, render_alert(alert, self._seed))

    def retrieve(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        alert = self._service.get(call.params["alert"], alert_filter(call, "insight"))
        return json_response(200, render_alert(alert, self._seed, checks=True, total=True))

    def update(self, call: Call) -> Response:
        return self._write(call, "PUT")

    def partial_update(self, call: Call) -> Response:
        return self._write(call, "PATCH")

    def destroy(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        self._service.delete(call.params["alert"], alert_filter(call, "insight"))
        return empty_response(204)

    def _write(self, call: Call, method: str) -> Response:
        resolve_project(call.params["project"], self._seed)
        where = alert_filter(call, "insight")
        self._service.get(call.params["alert"], where)  # 404 comes before body errors
        body = read_json(call.request)
        alert = self._service.update(call.params["alert"], body, method, where)
        return json_response(200, render_alert(alert, self._seed))
