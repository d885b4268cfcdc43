"""The baselines: bare httpx loops against the same emulator, with nothing else to do.

* ``floor``: download every page of the alert listing, one page after the other, with the
  client's page size: no plan can read the live state faster than this loop.
* ``floor_parallel``: the same pages, the first alone (for the count), the rest ``width`` at
  a time: what a client that fetches pages concurrently could reach.
* ``floor_one_page``: one request with ``limit`` = every alert (PostHog sets no maximum).
* ``terraform_refresh``: one GET per alert by id, ``width`` at a time, as PostHog's
  Terraform provider reads each resource in its state on every plan. The ids come from a
  listing made beforehand and not timed (Terraform has them in its state file).
* ``sequential_creates``: N POSTs one at a time: "one request at a time" for apply.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from benchmarks.emulator_process import Endpoint

TERRAFORM_PARALLELISM = 10  # terraform's default -parallelism


def http_client(endpoint: Endpoint, connections: int = 1) -> httpx.Client:
    return httpx.Client(
        base_url=endpoint.base_url,
        headers={"Authorization": f"Bearer {endpoint.api_key}", "Accept": "application/json"},
        timeout=httpx.Timeout(60.0),
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
        trust_env=False,
    )


def alerts_path(endpoint: Endpoint) -> str:
    return f"/api/projects/{endpoint.project_id}/alerts/"


def _page(client: httpx.Client, path: str, limit: int, offset: int) -> dict[str, Any]:
    response = client.get(path, params={"limit": str(limit), "offset": str(offset)})
    response.raise_for_status()
    page: dict[str, Any] = response.json()
    return page


def floor(endpoint: Endpoint, page_size: int) -> int:
    """Every page, one after the other; returns the number of alerts read."""
    path, offset, seen = alerts_path(endpoint), 0, 0
    with http_client(endpoint) as client:
        while True:
            page = _page(client, path, page_size, offset)
            seen += len(page["results"])
            offset += len(page["results"])
            if not page.get("next") or not page["results"]:
                return seen


def floor_parallel(endpoint: Endpoint, page_size: int, width: int) -> int:
    """The first page, then every other page ``width`` at a time."""
    path = alerts_path(endpoint)
    with http_client(endpoint, width) as client:
        first = _page(client, path, page_size, 0)
        offsets = range(page_size, int(first["count"]), page_size)
        with ThreadPoolExecutor(width) as pool:
            pages = list(pool.map(lambda o: _page(client, path, page_size, o), offsets))
    return len(first["results"]) + sum(len(page["results"]) for page in pages)


def floor_one_page(endpoint: Endpoint, count: int) -> int:
    with http_client(endpoint) as client:
        return len(_page(client, alerts_path(endpoint), max(count, 1), 0)["results"])


def alert_ids(endpoint: Endpoint, count: int) -> list[str]:
    """Every alert id (untimed set-up for the Terraform-style refresh)."""
    with http_client(endpoint) as client:
        page = _page(client, alerts_path(endpoint), max(count, 1), 0)
    return [str(alert["id"]) for alert in page["results"]]


def terraform_refresh(endpoint: Endpoint, ids: Iterable[str], width: int) -> int:
    """One GET per alert, ``width`` at a time; returns how many were read."""
    path = alerts_path(endpoint)

    def read(alert_id: str) -> None:
        client.get(f"{path}{alert_id}/").raise_for_status()

    with http_client(endpoint, width) as client, ThreadPoolExecutor(width) as pool:
        return sum(1 for _ in pool.map(read, ids))


def sequential_creates(endpoint: Endpoint, bodies: Iterable[dict[str, Any]]) -> int:
    """POST every body, one request at a time."""
    created = 0
    with http_client(endpoint) as client:
        for body in bodies:
            client.post(alerts_path(endpoint), json=body).raise_for_status()
            created += 1
    return created
