"""The client's reliability rules, against an in-memory PostHog (httpx.MockTransport): what is
retried, what is never re-sent, how a create with a lost response is recovered, the debug
trace. No sockets, no sleeping (fake clock and sleep)."""

from __future__ import annotations

import itertools
import json
import ssl
from collections import defaultdict
from typing import Any

import httpx
import pytest

from alertsync.cli.signals import Stop
from alertsync.edges.posthog.client import PostHogClient
from alertsync.edges.posthog.settings import Connection, Tuning
from alertsync.errors import Abandoned, ApiError, ListingError, NetworkError, RetriesExhausted
from tests.builders import FakeTime

KEY = "phx_unit_test_key_that_must_never_show_0123456789"
CONN = Connection("https://posthog.test", "1", KEY)
ALERTS = "/api/projects/1/alerts/"


class FakePostHog:
    """Alerts in memory. ``faults[method]`` is a queue of faults for the next requests:
    ``"503"`` (answered instead of handling), ``"502-after"`` (handled, then 502),
    ``"drop-after"`` / ``"timeout-after"`` (handled, response lost), ``"connect"`` /
    ``"drop-before"`` (not handled), ``"429:7"`` (throttled, "available in 7 seconds"),
    ``"503-retry:5"`` (Retry-After: 5), ``"missing-item"`` (a listing page without one alert)."""

    def __init__(self) -> None:
        self.alerts: dict[str, dict[str, Any]] = {}
        self.faults: dict[str, list[str | None]] = defaultdict(list)
        self.log: list[tuple[str, str, str | None]] = []
        self.headers: list[httpx.Headers] = []
        self._ids = itertools.count(1)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        queue = self.faults[request.method]
        fault = queue.pop(0) if queue else None
        self.log.append((request.method, request.url.path, fault))
        self.headers.append(request.headers)
        if fault == "connect":
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        if fault == "drop-before":
            raise httpx.RemoteProtocolError("Server disconnected", request=request)
        if fault and fault[0].isdigit() and "after" not in fault:
            return self.fault_response(fault)
        response = self.handle(request)
        if fault == "drop-after":
            raise httpx.RemoteProtocolError("Server disconnected", request=request)
        if fault == "timeout-after":
            raise httpx.ReadTimeout("timed out", request=request)
        if fault and fault.endswith("-after"):
            return self.fault_response(fault.removesuffix("-after"))
        if fault == "missing-item":  # an inconsistent page: one alert left out, count kept
            page = json.loads(response.content)
            return httpx.Response(200, json={**page, "results": page["results"][1:]})
        return response

    def fault_response(self, fault: str) -> httpx.Response:
        status, _, extra = fault.partition(":")
        status = status.removesuffix("-retry")
        if status == "429":
            detail = f"Request was throttled. Expected available in {extra or 1} seconds."
            body = {"type": "throttled_error", "code": "throttled", "detail": detail}
            return httpx.Response(429, json={**body, "attr": None})
        headers = {"Retry-After": extra} if extra else {}
        return httpx.Response(int(status), text="<html>proxy error</html>", headers=headers)

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "GET":
            offset = int(request.url.params.get("offset", "0"))
            items = list(self.alerts.values())
            page = items[offset : offset + 100]
            more = offset + 100 < len(items)
            return httpx.Response(
                200,
                json={"count": len(items), "next": "x" if more else None, "results": page},
            )
        if request.method == "POST":
            body = json.loads(request.content)
            if not body.get("name"):
                return httpx.Response(400, json={"type": "validation_error", "detail": "no"})
            alert = {"id": f"id-{next(self._ids)}", **body}
            self.alerts[alert["id"]] = alert
            return httpx.Response(201, json=alert)
        alert_id = path.rstrip("/").rsplit("/", 1)[-1]
        if alert_id not in self.alerts:
            return httpx.Response(404, json={"type": "invalid_request", "detail": "Not found."})
        if request.method == "DELETE":
            del self.alerts[alert_id]
            return httpx.Response(204)
        self.alerts[alert_id].update(json.loads(request.content))
        return httpx.Response(200, json=self.alerts[alert_id])

    def methods(self) -> list[str]:
        return [method for method, _path, _fault in self.log]


def client(
    fake: FakePostHog,
    time: FakeTime | None = None,
    trace: list[str] | None = None,
    stop: Stop | None = None,
    **tuning: Any,
) -> PostHogClient:
    time = time or FakeTime()
    return PostHogClient(
        CONN,
        Tuning(**{"retry_base_delay": 0.01, **tuning}),
        transport=httpx.MockTransport(fake),
        trace=trace.append if trace is not None else None,
        stop=stop,
        clock=time.clock,
        sleep=time.sleep,
    )


@pytest.mark.parametrize("fault", ["connect", "drop-before", "timeout-after", "429", "502"])
@pytest.mark.parametrize("fault2", ["503", "504", "503-retry:0"])
def test_reads_are_retried_after_transient_failures(fault: str, fault2: str) -> None:
    fake = FakePostHog()
    fake.alerts["a"] = {"id": "a", "name": "A"}
    fake.faults["GET"] = [fault, fault2]
    assert client(fake).list_alerts() == [{"id": "a", "name": "A"}]
    assert fake.methods() == ["GET", "GET", "GET"]


@pytest.mark.parametrize("status", ["500", "400", "404"])
def test_other_statuses_are_not_retried(status: str) -> None:
    fake = FakePostHog()
    fake.faults["GET"] = [status]
    with pytest.raises(ApiError):
        client(fake).list_alerts()
    assert fake.methods() == ["GET"]


def test_a_429_waits_as_long_as_posthog_says_in_its_text() -> None:
    fake, time = FakePostHog(), FakeTime()
    fake.faults["GET"] = ["429:7"]
    client(fake, time).list_alerts()
    assert time.sleeps == [7.0]


def test_a_retry_after_header_is_honoured() -> None:
    fake, time = FakePostHog(), FakeTime()
    fake.faults["PATCH"] = ["503-retry:5"]
    fake.alerts["a"] = {"id": "a", "name": "A"}
    client(fake, time).update_alert("a", {"enabled": False}, "A")
    assert time.sleeps == [5.0]


def test_after_the_budget_a_clear_error() -> None:
    fake, time = FakePostHog(), FakeTime()
    fake.faults["GET"] = ["503"] * 1000
    with pytest.raises(RetriesExhausted) as info:
        client(fake, time, max_retry_time=30).list_alerts()
    assert "listing alerts: PostHog answered 503" in str(info.value)
    assert "gave up after" in str(info.value) and "--max-retry-time" in str(info.value)
    assert 1 < len(fake.log) < 1000 and time.now - 1000 <= 30


def test_a_throttle_wait_beyond_the_budget_fails_at_once() -> None:
    fake, time = FakePostHog(), FakeTime()
    fake.faults["GET"] = ["429:3000"]
    with pytest.raises(RetriesExhausted, match="asks to wait 3000 s"):
        client(fake, time, max_retry_time=60).list_alerts()
    assert time.sleeps == []


# -- creates are never sent blindly twice -------------------------------------------------


@pytest.mark.parametrize("fault", ["connect", "429"])
def test_a_create_that_never_reached_posthog_is_simply_sent_again(fault: str) -> None:
    fake = FakePostHog()
    fake.faults["POST"] = [fault]
    written = client(fake).create_alert({"name": "A"}, "A")
    assert fake.methods() == ["POST", "POST"]
    assert [a["name"] for a in fake.alerts.values()] == ["A"]
    assert written.alert_id == "id-1" and written.note == ""


@pytest.mark.parametrize("fault", ["drop-after", "timeout-after", "502-after", "500-after"])
def test_a_create_with_a_lost_response_is_found_not_resent(fault: str) -> None:
    fake = FakePostHog()
    fake.faults["POST"] = [fault]
    written = client(fake).create_alert({"name": "A"}, "A")
    assert fake.methods() == ["POST", "GET"]
    assert [a["name"] for a in fake.alerts.values()] == ["A"]
    assert written.alert_id == "id-1"
    assert "recovered after a lost response" in written.note


@pytest.mark.parametrize("fault", ["drop-before", "502", "503", "504"])
def test_a_create_that_did_not_happen_is_sent_again_after_checking(fault: str) -> None:
    fake = FakePostHog()
    fake.faults["POST"] = [fault]
    written = client(fake).create_alert({"name": "A"}, "A")
    assert fake.methods() == ["POST", "GET", "POST"]
    assert [a["name"] for a in fake.alerts.values()] == ["A"]
    assert "sent again" in written.note


def test_a_500_create_that_did_not_happen_is_reported_not_resent() -> None:
    fake = FakePostHog()
    fake.faults["POST"] = ["500"]
    with pytest.raises(NetworkError) as info:
        client(fake).create_alert({"name": "A"}, "A")
    assert fake.methods() == ["POST", "GET"]
    assert "PostHog answered 500" in str(info.value)
    assert "no alert named 'A', so it was not created" in str(info.value)
    assert fake.alerts == {}


def test_a_definite_4xx_is_never_resent_nor_checked() -> None:
    fake = FakePostHog()
    with pytest.raises(ApiError) as info:
        client(fake).create_alert({"name": ""}, "")
    assert info.value.status == 400
    assert fake.methods() == ["POST"]


def test_a_create_whose_check_fails_says_so_and_is_not_resent() -> None:
    fake = FakePostHog()
    fake.faults["POST"] = ["drop-before"]
    fake.faults["GET"] = ["500"]
    with pytest.raises(NetworkError, match="checking whether PostHog made the alert failed"):
        client(fake).create_alert({"name": "A"}, "A")
    assert fake.methods() == ["POST", "GET"]


def test_a_create_that_keeps_failing_gives_up_within_the_budget_and_says_it_was_not_made() -> None:
    fake, time = FakePostHog(), FakeTime()
    fake.faults["POST"] = ["503"] * 1000
    with pytest.raises(RetriesExhausted) as info:
        client(fake, time, max_retry_time=5).create_alert({"name": "A"}, "A")
    assert "so it was not created" in str(info.value)
    posts = fake.methods().count("POST")
    assert posts == fake.methods().count("GET") and posts > 1
    assert fake.alerts == {} and time.now - 1000 <= 5


def test_every_post_response_lost_still_makes_one_alert() -> None:
    fake = FakePostHog()
    fake.faults["POST"] = ["drop-after"] * 10
    writer = client(fake)
    for name in ("A", "B", "C"):
        writer.create_alert({"name": name}, name)
    assert sorted(a["name"] for a in fake.alerts.values()) == ["A", "B", "C"]
    assert fake.methods().count("POST") == 3


def test_an_interrupted_run_does_not_check_or_resend_a_lost_create() -> None:
    fake, stop = FakePostHog(), Stop()
    fake.faults["POST"] = ["drop-after"]
    original = fake.handle

    def handle_then_interrupt(request: httpx.Request) -> httpx.Response:
        stop.request(2)
        return original(request)

    fake.handle = handle_then_interrupt  # type: ignore[method-assign]
    with pytest.raises(Abandoned) as info:
        client(fake, stop=stop).create_alert({"name": "A"}, "A")
    assert info.value.sent and "run plan to see" in str(info.value)
    assert fake.methods() == ["POST"]


def test_an_interrupted_run_sends_nothing_new() -> None:
    fake, stop = FakePostHog(), Stop()
    stop.request(15)
    with pytest.raises(Abandoned) as info:
        client(fake, stop=stop).list_alerts()
    assert not info.value.sent and info.value.args[0].startswith("listing alerts: not sent")
    assert fake.log == []


# -- deletes and updates -------------------------------------------------------------------


def test_a_delete_retried_after_a_lost_response_finds_the_alert_gone() -> None:
    fake = FakePostHog()
    fake.alerts["a"] = {"id": "a", "name": "A"}
    fake.faults["DELETE"] = ["drop-after"]
    written = client(fake).delete_alert("a", "A")
    assert fake.methods() == ["DELETE", "DELETE"] and fake.alerts == {}
    assert "already gone" in written.note


def test_a_delete_of_an_alert_someone_else_deleted_fails() -> None:
    fake = FakePostHog()
    with pytest.raises(ApiError) as info:
        client(fake).delete_alert("gone", "Gone")
    assert info.value.status == 404


def test_an_update_is_retried_after_a_lost_response() -> None:
    fake = FakePostHog()
    fake.alerts["a"] = {"id": "a", "name": "A", "enabled": True}
    fake.faults["PATCH"] = ["timeout-after"]
    client(fake).update_alert("a", {"enabled": False}, "A")
    assert fake.methods() == ["PATCH", "PATCH"] and fake.alerts["a"]["enabled"] is False


# -- listings ------------------------------------------------------------------------------


def test_an_inconsistent_listing_is_refused() -> None:
    def pages(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])  # both pages hold alert x
        more = "more" if offset == 0 else None
        return httpx.Response(200, json={"count": 2, "next": more, "results": [{"id": "x"}]})

    writer = PostHogClient(CONN, transport=httpx.MockTransport(pages))
    with pytest.raises(ListingError, match="came back twice"):
        writer.list_alerts()


def test_a_short_listing_is_refused() -> None:
    fake = FakePostHog()
    fake.alerts["a"] = {"id": "a", "name": "A"}

    def lying(request: httpx.Request) -> httpx.Response:
        response = fake(request)
        page = response.json()
        return httpx.Response(200, json={**page, "count": page["count"] + 1})

    writer = PostHogClient(CONN, transport=httpx.MockTransport(lying))
    with pytest.raises(ListingError, match="counted"):
        writer.list_alerts()


# -- pacing, transport, trace --------------------------------------------------------------


def test_requests_are_paced_by_the_rate_limit() -> None:
    fake, time = FakePostHog(), FakeTime()
    writer = client(fake, time, rate_limit=2)
    for _ in range(3):
        writer.list_alerts()
    assert time.sleeps == [60.5]  # a minute, and a margin for arrival order


def test_tls_is_verified_and_redirects_are_not_followed() -> None:
    writer = PostHogClient(CONN)
    pool = writer._http._client._transport.inner._pool  # type: ignore[attr-defined]
    context: ssl.SSLContext = pool._ssl_context
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert writer._http._client.follow_redirects is False


def test_a_redirect_is_an_error_and_is_not_followed() -> None:
    seen: list[str] = []

    def redirect(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(301, headers={"Location": "https://evil.test/steal"})

    writer = PostHogClient(CONN, transport=httpx.MockTransport(redirect))
    with pytest.raises(NetworkError, match="redirect"):
        writer.list_alerts()
    assert len(seen) == 1 and "evil" not in seen[0]


def test_the_debug_trace_shows_requests_and_retries_but_never_the_key() -> None:
    fake, lines = FakePostHog(), list[str]()
    fake.faults["POST"] = ["drop-after"]
    fake.faults["GET"] = ["503"]
    client(fake, trace=lines).create_alert({"name": "A"}, "A")
    text = "\n".join(lines)
    assert KEY not in text
    assert "authorization: Bearer [redacted]" in text
    assert "POST https://posthog.test/api/projects/1/alerts/ (attempt 1)" in text
    assert "-> 503 Service Unavailable" in text
    assert "retrying in" in text
    assert "outcome unknown; listing alerts" in text
    assert all(h["authorization"] == f"Bearer {KEY}" for h in fake.headers)


def test_a_lost_create_is_never_sent_again_from_an_incomplete_listing() -> None:
    fake = FakePostHog()
    fake.faults["POST"] = ["drop-after"]
    fake.faults["GET"] = ["missing-item"]  # the check's first reading misses the new alert
    written = client(fake).create_alert({"name": "A"}, "A")
    assert "recovered after a lost response" in written.note
    assert [a["name"] for a in fake.alerts.values()] == ["A"]
    assert fake.methods().count("POST") == 1
