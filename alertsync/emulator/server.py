"""The HTTP layer: a threading server on loopback and the per-request pipeline.

Pipeline for every request: latency → fault policy ``before`` → API (with PostHog's
throttle when enabled) → fault policy ``after`` → request log → socket. HTTP/1.1
keep-alive is supported, so clients reuse connections the way they do against PostHog.
"""

from __future__ import annotations

import socket
import threading
import time
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

from alertsync.emulator.dispatch import Api
from alertsync.emulator.faults import CutBody, DropConnection, FaultPolicy, Outcome
from alertsync.emulator.requestlog import RequestLog
from alertsync.emulator.wire import Request, Response

HOST = "127.0.0.1"


class Pipeline:
    """Everything between the socket and the API, including the fault-injection hook."""

    def __init__(self, api: Api, faults: FaultPolicy, log: RequestLog, latency_ms: int) -> None:
        self._api = api
        self._faults = faults
        self._log = log
        self._latency = max(latency_ms, 0) / 1000

    def respond(self, request: Request) -> Outcome:
        if self._latency:
            time.sleep(self._latency)
        injected = self._faults.before(request)
        if injected is not None:
            self._log.record(request, injected.status)
            return injected
        response = self._api.handle(request)
        outcome = self._faults.after(request, response)
        status = outcome.status if isinstance(outcome, Response) else response.status
        self._log.record(request, status)
        return outcome


class EmulatorServer(ThreadingHTTPServer):
    """A threading HTTP server that can cut its open connections when it stops."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, port: int, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__((HOST, port), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Connections cut by a client or by :meth:`close_connections` are not errors."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "alertsync-emulator"
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls on keep-alive connections
    wbufsize = -1  # buffer the response; handle_one_request() flushes it in one go

    def do_GET(self) -> None:
        self._serve()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log records what tests need."""

    def _serve(self) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = Request(self.command, self.path, headers, self._read_body())
        outcome = cast(EmulatorServer, self.server).pipeline.respond(request)
        if isinstance(outcome, DropConnection):
            self.close_connection = True
            return
        if isinstance(outcome, CutBody):
            self.close_connection = True
            self._write(outcome.response, keep=outcome.keep)
            return
        self._write(outcome)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            return b""
        return self.rfile.read(length) if length > 0 else b""

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
            chunks.append(self.rfile.read(size))
            self.rfile.readline()
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass  # trailers
        return b"".join(chunks)

    def _write(self, response: Response, keep: int | None = None) -> None:
        """Send ``response``; with ``keep``, only that many body bytes (a cut body)."""
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        if response.status != 204:
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD" and response.body:
            self.wfile.write(response.body if keep is None else response.body[:keep])
