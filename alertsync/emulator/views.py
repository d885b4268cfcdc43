"""The alert endpoints: list, create, retrieve, update (PUT), partial_update, destroy, simulate.

Every look-up goes through the queryset filters of :mod:`~alertsync.emulator.alert_filters`,
read from the query string (also on detail routes, as in PostHog).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from alertsync.emulator.alert_filters import filter_from
from alertsync.emulator.checks import check_window
from alertsync.emulator.pagination import paginated, window_from
from alertsync.emulator.refusals import parse_error, unsupported_media_type
from alertsync.emulator.routing import Call, resolve_project
from alertsync.emulator.seed import Seed
from alertsync.emulator.service import AlertService, Found
from alertsync.emulator.shapes import firing_checks, render_alert
from alertsync.emulator.simulate import simulate
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


class AlertViews:
    def __init__(self, seed: Seed, service: AlertService, base_url: Callable[[], str]) -> None:
        self._seed = seed
        self._service = service
        self._base_url = base_url

    def list(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        window = window_from(call.request.query)
        where = filter_from(call.request.query)
        count, page = self._service.page(window, where, call.key)
        results = [self._item(found) for found in page]
        url = call.request.absolute_url(self._base_url())
        return json_response(200, paginated(count, results, window, url))

    def create(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        body = read_json(call.request)
        alert = self._service.create(body, call.key.user_id, call.key)
        return json_response(201, render_alert(alert, self._seed))

    def retrieve(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        query = call.request.query
        found = self._service.get(call.params["alert"], filter_from(query), call.key)
        window = check_window(query, self._service.clock.now())
        total, checks = window.select(found.alert.checks)
        rendered = render_alert(
            found.alert, self._seed, checks=checks, total=total, match_type=found.match_type
        )
        return json_response(200, rendered)

    def update(self, call: Call) -> Response:
        return self._write(call, "PUT")

    def partial_update(self, call: Call) -> Response:
        return self._write(call, "PATCH")

    def destroy(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        self._service.delete(call.params["alert"], filter_from(call.request.query), call.key)
        return empty_response(204)

    def simulate(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        body = read_json(call.request)
        return json_response(200, simulate(body, self._seed, call.key, self._service.clock.now()))

    def _write(self, call: Call, method: str) -> Response:
        resolve_project(call.params["project"], self._seed)
        where = filter_from(call.request.query)
        before = self._service.get(call.params["alert"], where, call.key)  # 404 before body errors
        body = read_json(call.request)
        found = self._service.update(call.params["alert"], body, method, where, call.key)
        rendered = render_alert(
            found.alert, self._seed, match_type=found.match_type, looked_up=before.alert
        )
        return json_response(200, rendered)

    def _item(self, found: Found) -> dict[str, object]:
        checks = firing_checks(found.alert)
        return render_alert(found.alert, self._seed, checks=checks, match_type=found.match_type)
