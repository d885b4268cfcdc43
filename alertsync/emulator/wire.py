"""Plain request and response values passed between the socket handler and the API code."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit


@dataclass(frozen=True)
class Request:
    """One HTTP request as received. ``headers`` keys are lower-case."""

    method: str
    target: str  # the raw request target: path and query string, as sent
    headers: Mapping[str, str]
    body: bytes = b""

    @property
    def path(self) -> str:
        """The percent-decoded path, without the query string."""
        return unquote(urlsplit(self.target).path)

    @property
    def query(self) -> dict[str, str]:
        """Query parameters; for a repeated name the last value wins (as Django's QueryDict)."""
        return dict(parse_qsl(urlsplit(self.target).query, keep_blank_values=True))

    def absolute_url(self, base_url: str) -> str:
        """``http://<Host header><target>`` as Django's ``build_absolute_uri()``; without a
        Host header, ``base_url`` stands in for scheme and host."""
        host = self.headers.get("host")
        return f"http://{host}{self.target}" if host else f"{base_url}{self.target}"

    def json_or_none(self) -> Any:
        """The body as JSON, or ``None`` when it is empty or not JSON (for the request log)."""
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = field(default=())


def json_response(status: int, data: Any, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    """Serialise like DRF's JSONRenderer: compact separators, UTF-8, no ASCII escaping."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, body, (("Content-Type", "application/json"), *headers))


def empty_response(status: int) -> Response:
    return Response(status)
