"""PostHog Cloud (US, EU) and self-hosted PostHog under a path prefix: every request goes
to the host's own path."""

from __future__ import annotations

import httpx
import pytest

from alertsync.edges.posthog.client import PostHogClient
from alertsync.edges.posthog.settings import Connection, Tuning, check_host

EMPTY: dict[str, object] = {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize(
    ("host", "listing"),
    [
        ("https://us.posthog.com", "https://us.posthog.com/api/projects/1/alerts/"),
        ("https://eu.posthog.com", "https://eu.posthog.com/api/projects/1/alerts/"),
        (
            "https://tools.example.com/posthog",
            "https://tools.example.com/posthog/api/projects/1/alerts/",
        ),
        (
            "https://tools.example.com/posthog/",
            "https://tools.example.com/posthog/api/projects/1/alerts/",
        ),
    ],
)
def test_requests_go_to_the_hosts_path(host: str, listing: str) -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url.copy_with(query=None)))
        return httpx.Response(200, json=EMPTY)

    conn = Connection(check_host(host), "1", "phx_test")
    PostHogClient(conn, Tuning(), transport=httpx.MockTransport(answer)).list_alerts()
    assert seen == [listing]


@pytest.mark.parametrize("project", ["\u00b2", "\u0661\u0662", "\uff11\uff12"])
def test_a_project_id_is_ascii_digits(project: str) -> None:
    # str.isdigit() takes superscripts and other scripts' digits, which PostHog has no project
    # for and which would reach the request path
    from alertsync.edges.posthog.settings import check_project
    from alertsync.errors import ConfigError

    with pytest.raises(ConfigError, match="must be a numeric project id or @current"):
        check_project(project)
    assert check_project(" 12 ") == "12"
