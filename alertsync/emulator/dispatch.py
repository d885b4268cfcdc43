"""The emulated API: the route table and the conversion of failures into error bodies."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from alertsync.emulator.lookups import LookupViews
from alertsync.emulator.refusals import ApiError, server_error
from alertsync.emulator.routing import Endpoint, Route, Router, Throttle, route
from alertsync.emulator.seed import Seed
from alertsync.emulator.service import AlertService
from alertsync.emulator.views import AlertViews
from alertsync.emulator.wire import Request, Response, json_response

_log = logging.getLogger(__name__)
_PROJECT_PREFIXES = ("/api/projects/{project}", "/api/environments/{project}")


def build_routes(alerts: AlertViews, lookups: LookupViews) -> list[Route]:
    collection = {
        "GET": Endpoint("list", ("alert:read",), alerts.list),
        "POST": Endpoint("create", ("alert:write",), alerts.create),
    }
    detail = {
        "GET": Endpoint("retrieve", ("alert:read",), alerts.retrieve),
        "PUT": Endpoint("update", ("alert:write",), alerts.update),
        "PATCH": Endpoint("partial_update", ("alert:write",), alerts.partial_update),
        "DELETE": Endpoint("destroy", ("alert:write",), alerts.destroy),
    }
    simulate = {
        "POST": Endpoint("simulate", ("alert:read", "insight:read"), alerts.simulate),
    }
    insights = {"GET": Endpoint("list", ("insight:read",), lookups.list_insights)}
    insight = {"GET": Endpoint("retrieve", ("insight:read",), lookups.retrieve_insight)}
    routes: list[Route] = []
    for prefix in _PROJECT_PREFIXES:
        routes += [
            route(f"{prefix}/alerts/", collection),
            route(f"{prefix}/alerts/simulate/", simulate),
            route(f"{prefix}/alerts/{{alert}}/", detail),
            route(f"{prefix}/insights/", insights),
            route(f"{prefix}/insights/{{insight}}/", insight),
        ]
    members = {"GET": Endpoint("list", ("organization_member:read",), lookups.list_members)}
    me = {"GET": Endpoint("retrieve", ("user:read",), lookups.me)}
    routes += [
        route("/api/organizations/{organization}/members/", members),
        route("/api/users/{user}/", me),
    ]
    return routes


class Api:
    """Turns a :class:`Request` into a :class:`Response`; never raises."""

    def __init__(
        self,
        seed: Seed,
        service: AlertService,
        base_url: Callable[[], str],
        throttle: Throttle | None = None,
        alert_views: AlertViews | None = None,
        extra_routes: Sequence[Route] = (),
    ) -> None:
        views = alert_views or AlertViews(seed, service, base_url)
        lookups = LookupViews(seed, base_url)
        routes = build_routes(views, lookups) + list(extra_routes)
        self._router = Router(routes, seed, base_url, throttle)

    def handle(self, request: Request) -> Response:
        try:
            return self._router.dispatch(request)
        except ApiError as error:
            return json_response(error.status, error.body(), error.headers)
        except Exception:  # a bug in the emulator: answer like PostHog's handler does
            _log.exception("emulator failed on %s %s", request.method, request.target)
            failure = server_error()
            return json_response(failure.status, failure.body())
