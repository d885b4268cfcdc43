"""The HTTP server: request log, lifecycle, latency and the fault-injection hook."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from alertsync.emulator import DROP, DropConnection, Emulator, RecordedRequest
from alertsync.emulator.wire import Request, Response, json_response
from tests.builders import ALERTS, client_for, valid_body


def test_request_log_records_method_path_query_body_status(
    emu: Emulator, client: httpx.Client
) -> None:
    body = valid_body()
    created = client.post(ALERTS, json=body).json()
    client.get(ALERTS, params={"limit": "5", "insight": "101"})
    client.patch(f"{ALERTS}{created['id']}", json={"name": 1, "enabled": "x"})
    client.delete(f"{ALERTS}{created['id']}/")

    assert emu.requests == [
        RecordedRequest("POST", ALERTS, {}, body, 201),
        RecordedRequest("GET", ALERTS, {"limit": "5", "insight": "101"}, None, 200),
        RecordedRequest("PATCH", f"{ALERTS}{created['id']}", {}, {"name": 1, "enabled": "x"}, 400),
        RecordedRequest("DELETE", f"{ALERTS}{created['id']}/", {}, None, 204),
    ]


def test_request_log_is_a_copy_and_can_be_cleared(emu: Emulator, client: httpx.Client) -> None:
    client.get(ALERTS)
    snapshot = emu.requests
    snapshot.clear()

    assert len(emu.requests) == 1
    emu.clear_requests()
    assert emu.requests == []


def test_unparseable_bodies_are_logged_as_none(emu: Emulator, client: httpx.Client) -> None:
    client.post(ALERTS, content=b"{oops", headers={"Content-Type": "application/json"})

    assert emu.requests[0].body is None
    assert emu.requests[0].status == 400


def test_base_url_needs_a_running_server() -> None:
    emu = Emulator()

    with pytest.raises(RuntimeError, match="not running"):
        _ = emu.base_url
    emu.start()
    try:
        assert emu.base_url.startswith("http://127.0.0.1:")
        with pytest.raises(RuntimeError, match="already running"):
            emu.start()
    finally:
        emu.stop()
        emu.stop()  # idempotent


def test_stop_cuts_open_keep_alive_connections() -> None:
    emu = Emulator()
    emu.start()
    client = client_for(emu)
    assert client.get(ALERTS).status_code == 200

    emu.stop()

    with pytest.raises(httpx.TransportError):
        client.get(ALERTS)
    client.close()


def test_serve_forever_returns_when_stopped_from_another_thread() -> None:
    emu = Emulator()
    emu.start()
    server = threading.Thread(target=emu.serve_forever)
    server.start()
    with client_for(emu) as client:
        assert client.get(ALERTS).status_code == 200

    emu.stop()
    server.join(timeout=10)

    assert not server.is_alive()


def test_latency_delays_every_answer() -> None:
    with Emulator(latency_ms=150) as emu, client_for(emu) as client:
        started = time.monotonic()
        client.get(ALERTS)
        elapsed = time.monotonic() - started

    assert elapsed >= 0.15


class _FailFirstWriteThenDrop:
    """A test policy: 503 for the first POST, then drop the answer of the second."""

    def __init__(self) -> None:
        self.posts = 0

    def before(self, request: Request) -> Response | None:
        if request.method != "POST":
            return None
        self.posts += 1
        if self.posts == 1:
            return json_response(
                503, {"type": "server_error", "code": "error", "detail": "x", "attr": None}
            )
        return None

    def after(self, request: Request, response: Response) -> Response | DropConnection:
        return DROP if request.method == "POST" else response


def test_fault_policy_can_answer_instead_and_drop_after_commit() -> None:
    with Emulator(fault_policy=_FailFirstWriteThenDrop()) as emu, client_for(emu) as client:
        refused = client.post(ALERTS, json=valid_body())
        assert emu.alerts() == []
        with pytest.raises(httpx.RemoteProtocolError):
            client.post(ALERTS, json=valid_body(name="committed"))
        listed = client.get(ALERTS).json()

    assert refused.status_code == 503
    assert [alert["name"] for alert in listed["results"]] == ["committed"]
    assert [entry.status for entry in emu.requests] == [503, 201, 200]
