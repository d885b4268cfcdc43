"""The in-memory log of requests the emulator answered (never persisted)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from alertsync.emulator.wire import Request


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # without the query string
    query: dict[str, str]
    body: Any  # parsed JSON, or None when empty or not JSON
    status: int  # the status the API produced (also when the connection was dropped)


class RequestLog:
    def __init__(self) -> None:
        self._entries: list[RecordedRequest] = []
        self._lock = threading.Lock()

    def record(self, request: Request, status: int) -> None:
        entry = RecordedRequest(
            method=request.method,
            path=request.path,
            query=request.query,
            body=request.json_or_none(),
            status=status,
        )
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
