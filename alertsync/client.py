"""The PostHog API client: the only module that talks HTTP (httpx).

Errors come back as the `alertsync.errors` tree with PostHog's own message; the API key is
sent only as a header to the configured host and never appears in an error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import httpx

from alertsync import __version__
from alertsync.errors import (
    ApiError,
    ApiErrorBody,
    AuthenticationFailed,
    NetworkError,
    PermissionDenied,
)
from alertsync.settings import Connection

PAGE_SIZE = 100
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class PostHogClient:
    def __init__(
        self,
        conn: Connection,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        self.conn = conn
        self._http = httpx.Client(
            base_url=conn.host,
            headers={
                "Authorization": f"Bearer {conn.api_key}",
                "User-Agent": f"alertsync/{__version__}",
                "Accept": "application/json",
            },
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PostHogClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def _alerts(self) -> str:
        return f"/api/projects/{self.conn.project}/alerts/"

    # -- reads -------------------------------------------------------------------------

    def list_alerts(self) -> list[dict[str, Any]]:
        """Every alert of the project, every page; refuses a listing that does not add up."""
        return _consistent(self._pages(self._alerts, {}, "listing alerts"))

    def insights_by_short_id(self, short_ids: Iterable[str]) -> list[dict[str, Any]]:
        """InsightBasic objects for the short ids that exist in the project."""
        found: list[dict[str, Any]] = []
        path = f"/api/projects/{self.conn.project}/insights/"
        for short_id in sorted(short_ids):
            params = {"short_id": short_id, "basic": "true"}
            action = f"looking up insight {short_id!r}"
            found.extend(i for i in self._items(path, params, action) if i.get("short_id"))
        return found

    def members(self) -> list[dict[str, Any]]:
        path = "/api/organizations/@current/members/"
        return list(self._items(path, {}, "listing organization members"))

    # -- writes ------------------------------------------------------------------------

    def create_alert(self, body: dict[str, Any], name: str) -> dict[str, Any]:
        return _object(self._json("POST", self._alerts, f"creating alert {name!r}", body))

    def update_alert(self, alert_id: str, body: dict[str, Any], name: str) -> dict[str, Any]:
        path = f"{self._alerts}{alert_id}/"
        return _object(self._json("PATCH", path, f"updating alert {name!r}", body))

    def delete_alert(self, alert_id: str, name: str) -> None:
        self._send("DELETE", f"{self._alerts}{alert_id}/", f"deleting alert {name!r}", None)

    # -- plumbing ----------------------------------------------------------------------

    def _items(self, path: str, params: dict[str, str], action: str) -> Iterator[dict[str, Any]]:
        for _count, results in self._pages(path, params, action):
            yield from results

    def _pages(
        self, path: str, params: dict[str, str], action: str
    ) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        """(count, results) per page, following limit/offset (never the `next` host)."""
        offset = 0
        while True:
            query = {**params, "limit": str(PAGE_SIZE), "offset": str(offset)}
            page = self._json("GET", path, action, None, query)
            results = page.get("results")
            if not isinstance(results, list):
                raise NetworkError(f"{action}: PostHog sent a page without results")
            yield int(page.get("count", 0)), results
            offset += len(results)
            if not page.get("next") or not results:
                return

    def _json(
        self,
        method: str,
        path: str,
        action: str,
        body: dict[str, Any] | None,
        params: dict[str, str] | None = None,
    ) -> Any:
        response = self._send(method, path, action, body, params)
        try:
            return response.json()
        except json.JSONDecodeError as exc:
            raise NetworkError(f"{action}: PostHog sent a response that is not JSON") from exc

    def _send(
        self,
        method: str,
        path: str,
        action: str,
        body: dict[str, Any] | None,
        params: dict[str, str] | None = None,
    ) -> httpx.Response:
        try:
            response = self._http.request(method, path, json=body, params=params)
        except httpx.TimeoutException as exc:
            raise NetworkError(f"{action}: PostHog at {self.conn.host} timed out") from exc
        except httpx.TransportError as exc:
            raise NetworkError(
                f"{action}: cannot reach PostHog at {self.conn.host} ({_reason(exc)})"
            ) from exc
        if response.is_redirect:
            raise NetworkError(
                f"{action}: PostHog answered with a redirect ({response.status_code}); "
                "check --host / POSTHOG_HOST (alertsync does not follow redirects with your key)"
            )
        if response.status_code >= 400:
            raise api_error(response, action)
        return response


def _object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise NetworkError("PostHog sent a response that is not a JSON object")
    return data


def _reason(exc: httpx.TransportError) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 200 else text[:200] + "..."


def error_body(response: httpx.Response) -> ApiErrorBody:
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        return ApiErrorBody("server_error", "unknown", response.reason_phrase or "error", None)
    attr = data.get("attr")
    return ApiErrorBody(
        str(data.get("type", "")),
        str(data.get("code", "")),
        str(data.get("detail", response.reason_phrase)),
        str(attr) if attr is not None else None,
    )


def api_error(response: httpx.Response, action: str) -> ApiError:
    body = error_body(response)
    if response.status_code == 401:
        return AuthenticationFailed(401, body, action)
    if response.status_code == 403:
        return PermissionDenied(403, body, action)
    return ApiError(response.status_code, body, action)


def _consistent(pages: Iterator[tuple[int, list[dict[str, Any]]]]) -> list[dict[str, Any]]:
    """All items of a listing, refusing one whose pages do not add up to its count."""
    results: list[dict[str, Any]] = []
    ids: set[Any] = set()
    counts: set[int] = set()
    for count, items in pages:
        counts.add(count)
        for item in items:
            if item.get("id") in ids:
                raise ListingError(f"alert {item.get('id')} came back on two pages")
            ids.add(item.get("id"))
            results.append(item)
    if len(counts) > 1 or len(results) != next(iter(counts), 0):
        raise ListingError(f"PostHog counted {sorted(counts)} alerts but sent {len(results)}")
    return results


class ListingError(NetworkError):
    def __init__(self, what: str) -> None:
        super().__init__(
            f"listing alerts: {what}; the listing is inconsistent (alerts changed while it was "
            "read, or a page was lost). Nothing was planned; run again."
        )
