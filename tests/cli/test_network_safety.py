"""The key goes only to the configured host: proxies never see it, a host with credentials or
a malformed host is refused cleanly, and --timeout bounds a request's whole duration."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alertsync.edges.posthog.settings import check_host
from alertsync.edges.posthog.transport import make_transport, proxy_for
from alertsync.errors import ConfigError
from tests.builders import EXAMPLE, RawListener, Runner

PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY")


# -- 4. proxies ---------------------------------------------------------------------------


def test_a_loopback_host_never_goes_through_a_proxy(run: Runner) -> None:
    with RawListener() as proxy:
        result = run("plan", str(EXAMPLE), **{v: proxy.url for v in PROXY_VARIABLES})
        assert result.exit_code == 0, result.output
        assert proxy.received == []
    assert run.emu.requests  # the plan went straight to the emulator


def test_an_https_host_uses_the_proxy_only_as_a_tunnel(run: Runner) -> None:
    with RawListener() as proxy:
        result = run(
            "plan",
            str(EXAMPLE),
            "--max-retry-time",
            "0",
            POSTHOG_HOST="https://10.255.255.1",
            HTTPS_PROXY=proxy.url,
        )
        assert result.exit_code == 1 and "Traceback" not in result.output
        (first, *_rest) = proxy.received
    assert first.startswith(b"CONNECT 10.255.255.1:443 HTTP/1.1\r\n")
    seen = b"".join(proxy.received)
    assert b"Authorization" not in seen and run.env["POSTHOG_PERSONAL_API_KEY"].encode() not in seen
    assert b"/api/" not in seen  # not one request went through in clear


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, None),
        ({"HTTPS_PROXY": "http://proxy:3128"}, "http://proxy:3128"),
        ({"https_proxy": "proxy:3128"}, "http://proxy:3128"),
        ({"ALL_PROXY": "https://proxy:443"}, "https://proxy:443"),
        ({"HTTP_PROXY": "http://proxy:3128"}, None),  # plain-http proxies are for http URLs
        ({"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "posthog.com"}, None),
        ({"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": ".posthog.com"}, None),
        ({"HTTPS_PROXY": "http://proxy:3128", "no_proxy": "*"}, None),
        ({"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "other.com,us.posthog.com:443"}, None),
        ({"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "ttposthog.com"}, "http://proxy:3128"),
    ],
)
def test_which_proxy_an_https_host_uses(env: dict[str, str], expected: str | None) -> None:
    assert proxy_for("https://us.posthog.com", env) == expected
    assert proxy_for("http://127.0.0.1:8010", env) is None
    assert proxy_for("https://localhost:8443", env) is None


def test_a_socks_proxy_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="HTTP\\(S\\) proxies only"):
        proxy_for("https://us.posthog.com", {"ALL_PROXY": "socks5://proxy:1080"})


def test_the_transport_builds_with_a_proxy() -> None:
    make_transport("https://us.posthog.com", {"HTTPS_PROXY": "http://proxy:3128"}, 4).close()


# -- 5. user names and passwords in the host ----------------------------------------------


@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_a_host_with_credentials_is_refused_without_showing_them(
    run: Runner, debug: list[str]
) -> None:
    port = run.emu.base_url.rsplit(":", 1)[1]
    host = f"http://alice:s3cr3tpassw0rd@127.0.0.1:{port}"
    result = run("plan", str(EXAMPLE), *debug, POSTHOG_HOST=host)
    assert result.exit_code == 1
    assert "must not carry a user name or password" in result.stderr
    assert "s3cr3tpassw0rd" not in result.output and "alice" not in result.output
    assert run.emu.requests == []


# -- 6. malformed hosts -------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "https://a..b",
        "https://" + "a" * 64 + ".com",
        "https://xn--zz.com",
        "https://example.com/a\x01b",
        "https://example.com:99999",
        "https://exa mple.com",
        "https://-bad.example.com",
        "https://" + ".".join(["abcdefghij"] * 24) + ".com",
    ],
)
def test_a_malformed_host_is_one_error_line(run: Runner, host: str) -> None:
    result = run("plan", str(EXAMPLE), POSTHOG_HOST=host)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: host") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    assert run.emu.requests == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40).map(lambda s: "https://" + s))
def test_any_host_is_checked_or_refused_never_a_crash(host: str) -> None:
    try:
        checked = check_host(host)
    except ConfigError:
        return
    transport = make_transport(checked, {}, 1)  # builds, and a request to it can be formed
    transport.close()


# -- 7. one deadline for the whole request ------------------------------------------------


class Trickle:
    """A server that answers 200 at once, then sends its body a byte every half second."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        self._done = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self._server.settimeout(0.2)
        while not self._done.is_set():
            try:
                conn, _ = self._server.accept()
            except OSError:
                continue
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
                conn.sendall(b"Content-Length: 1000\r\n\r\n")
                for _ in range(240):
                    if self._done.is_set():
                        return
                    conn.sendall(b" ")
                    time.sleep(0.5)
            except OSError:
                return

    def close(self) -> None:
        self._done.set()
        self._server.close()


def test_timeout_bounds_the_whole_request_not_each_read(tmp_path: Path) -> None:
    server = Trickle()
    env = {
        **os.environ,
        "POSTHOG_HOST": server.url,
        "POSTHOG_PROJECT_ID": "1",
        "POSTHOG_PERSONAL_API_KEY": "phx_trickle_test_key",
        "ALERTSYNC_RETRY_BASE_DELAY": "0.01",
    }
    argv = [sys.executable, "-m", "alertsync", "plan", str(EXAMPLE), "--timeout", "2"]
    started = time.monotonic()
    try:
        done = subprocess.run(
            [*argv, "--max-retry-time", "3"], env=env, capture_output=True, text=True, timeout=60
        )
    finally:
        server.close()
    assert done.returncode == 1, done.stderr
    assert "timed out" in done.stderr and "Traceback" not in done.stderr
    # Each attempt ends at --timeout; the retry budget allows a couple more; never a minute.
    assert time.monotonic() - started < 30
