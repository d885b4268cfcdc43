"""URL routing, authentication and scope checks in the order PostHog applies them.

Unknown path → 404 (Django's resolver, before anything else); then authentication (401);
then the method (405); then the scopes, in the order the action declares them (403); then,
when enabled, PostHog's rate limits (429); the view resolves the project itself (404).
Paths match with or without their trailing slash (``trailing_slash = r"/?"``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from alertsync.emulator.auth import authenticate, require_scope
from alertsync.emulator.refusals import method_not_allowed, not_found, project_not_found
from alertsync.emulator.seed import ApiKey, Seed
from alertsync.emulator.wire import Request, Response


@dataclass(frozen=True)
class Call:
    """A request that passed routing and authentication."""

    request: Request
    params: Mapping[str, str]
    key: ApiKey


Handler = Callable[[Call], Response]


@dataclass(frozen=True)
class Endpoint:
    action: str  # DRF action name: list, create, retrieve, update, partial_update, destroy
    scopes: tuple[str, ...]  # every one is required, checked in this order
    handler: Handler


@dataclass(frozen=True)
class Route:
    pattern: re.Pattern[str]
    endpoints: Mapping[str, Endpoint]  # by HTTP method


def route(template: str, endpoints: Mapping[str, Endpoint]) -> Route:
    """A route from ``/api/x/{name}/y/``: each ``{name}`` matches one path segment."""
    body = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template.rstrip("/"))
    return Route(re.compile(f"^{body}/?$"), endpoints)


Throttle = Callable[[str, str], None]  # (API key, path); raises a 429 ApiError when throttled


class Router:
    def __init__(
        self,
        routes: list[Route],
        seed: Seed,
        base_url: Callable[[], str],
        throttle: Throttle | None = None,
    ) -> None:
        self._routes = routes
        self._seed = seed
        self._base_url = base_url
        self._throttle = throttle

    def dispatch(self, request: Request) -> Response:
        """Route, authenticate and authorise ``request``, then run its view."""
        for candidate in self._routes:
            match = candidate.pattern.match(request.path)
            if match is not None:
                return self._run(candidate, match.groupdict(), request)
        raise not_found()

    def _run(self, candidate: Route, params: Mapping[str, str], request: Request) -> Response:
        key = authenticate(request, self._seed, self._base_url())
        method = "GET" if request.method == "HEAD" else request.method
        endpoint = candidate.endpoints.get(method)
        if endpoint is None:
            raise method_not_allowed(request.method)
        for scope in endpoint.scopes:
            require_scope(key, scope)
        if self._throttle is not None:
            self._throttle(key.key, request.path)
        return endpoint.handler(Call(request, params, key))


def resolve_project(value: str, seed: Seed) -> int:
    """The project id in the URL: ``@current`` or the seed's own id; anything else is 404."""
    if value == "@current":
        return seed.project_id
    try:
        project_id = int(value)
    except ValueError:
        raise project_not_found() from None
    if project_id != seed.project_id:
        raise project_not_found()
    return project_id
