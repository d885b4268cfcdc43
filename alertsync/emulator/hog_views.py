"""The hog-function endpoints (destinations contract §3.1): list, create, retrieve, update,
partial_update, and destroy, which never deletes (``ForbidDestroyModel``: 405, empty body)."""

from __future__ import annotations

from collections.abc import Callable

from alertsync.emulator.hog_listing import select
from alertsync.emulator.hog_service import HogFunctionService
from alertsync.emulator.hog_shapes import render_function
from alertsync.emulator.pagination import paginated, window_from
from alertsync.emulator.routing import Call, resolve_project
from alertsync.emulator.seed import Seed
from alertsync.emulator.views import read_json
from alertsync.emulator.wire import Response, empty_response, json_response


class HogFunctionViews:
    def __init__(
        self, seed: Seed, service: HogFunctionService, base_url: Callable[[], str]
    ) -> None:
        self._seed = seed
        self._service = service
        self._base_url = base_url

    def list(self, call: Call) -> Response:
        """``?full=true`` switches to the full serializer; limit/offset pagination."""
        resolve_project(call.params["project"], self._seed)
        query = call.request.query
        listed = select(self._service.all(), query, self._seed.users)
        window = window_from(query)
        full = query.get("full") == "true"
        page = listed[window.offset : window.offset + window.limit]
        results = [
            render_function(row.function, self._seed, full=full, match=row.match) for row in page
        ]
        url = call.request.absolute_url(self._base_url())
        return json_response(200, paginated(len(listed), results, window, url))

    def create(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        function = self._service.create(read_json(call.request), call.key.user_id)
        return json_response(201, render_function(function, self._seed))

    def retrieve(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        function = self._service.get(call.params["function"])
        return json_response(200, render_function(function, self._seed))

    def update(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        body = read_json(call.request)
        function = self._service.update(call.params["function"], body)
        return json_response(200, render_function(function, self._seed))

    def destroy(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        return empty_response(405)
