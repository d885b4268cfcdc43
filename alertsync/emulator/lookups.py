"""Read-only helper endpoints a client needs (contract §8): insights, members, ``@me``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alertsync.emulator.pagination import paginated, window_from
from alertsync.emulator.refusals import not_found
from alertsync.emulator.routing import Call, resolve_project
from alertsync.emulator.seed import Insight, Seed
from alertsync.emulator.shapes import render_insight, render_member, render_user
from alertsync.emulator.wire import Response, json_response


class LookupViews:
    def __init__(self, seed: Seed, base_url: Callable[[], str]) -> None:
        self._seed = seed
        self._base_url = base_url

    def list_insights(self, call: Call) -> Response:
        """Live insights, most recently modified first; ``?short_id=`` / ``?created_by=``."""
        resolve_project(call.params["project"], self._seed)
        query = call.request.query
        insights = [
            insight
            for insight in self._live_insights()
            if _matches(insight.short_id, query.get("short_id"))
            and _matches(str(insight.created_by), query.get("created_by"))
        ]
        return self._page(call, [render_insight(insight, self._seed) for insight in insights])

    def retrieve_insight(self, call: Call) -> Response:
        """By numeric id, or by short id when the path value is not a number."""
        resolve_project(call.params["project"], self._seed)
        value = call.params["insight"]
        field = "id" if value.isdigit() else "short_id"
        wanted: Any = int(value) if value.isdigit() else value
        for insight in self._live_insights():
            if getattr(insight, field) == wanted:
                return json_response(200, render_insight(insight, self._seed))
        raise not_found()

    def list_members(self, call: Call) -> Response:
        organization = call.params["organization"]
        if organization not in ("@current", self._seed.organization.id):
            raise not_found()
        members = [render_member(member, self._seed) for member in self._seed.members]
        return self._page(call, members)

    def me(self, call: Call) -> Response:
        if call.params["user"] != "@me":
            raise not_found()
        user = render_user(self._seed.users[call.key.user_id]) or {}
        organization = {"id": self._seed.organization.id, "name": self._seed.organization.name}
        extra = {"organization": organization, "team": {"id": self._seed.project_id}}
        return json_response(200, user | extra)

    def _live_insights(self) -> list[Insight]:
        live = [insight for insight in self._seed.insights.values() if not insight.deleted]
        return sorted(
            live, key=lambda i: (str(i.attributes["last_modified_at"]), i.id), reverse=True
        )

    def _page(self, call: Call, items: list[Any]) -> Response:
        window = window_from(call.request.query)
        page = items[window.offset : window.offset + window.limit]
        url = call.request.absolute_url(self._base_url())
        return json_response(200, paginated(len(items), page, window, url))


def _matches(value: str, wanted: str | None) -> bool:
    return not wanted or value == wanted
