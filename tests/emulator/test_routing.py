"""Routes: both prefixes, optional trailing slash, @current, 404/405/400/415 bodies."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from alertsync.emulator import Emulator
from tests.builders import ALERTS, error, valid_body

from .conftest import MakeAlert

UNKNOWN_ID = "01975a3c-8f2e-7000-8b1e-4c2d9a7f3e10"


@pytest.mark.parametrize(
    "path",
    [
        "/api/projects/1/alerts/",
        "/api/projects/1/alerts",
        "/api/environments/1/alerts/",
        "/api/environments/1/alerts",
        "/api/projects/@current/alerts/",
        "/api/environments/@current/alerts",
    ],
)
def test_every_prefix_and_slash_variant_lists_the_same_alerts(
    client: httpx.Client, make_alert: MakeAlert, path: str
) -> None:
    created = make_alert()

    response = client.get(path)

    assert response.status_code == 200
    assert [alert["id"] for alert in response.json()["results"]] == [created["id"]]


@pytest.mark.parametrize("suffix", ["", "/"])
@pytest.mark.parametrize("prefix", ["/api/projects/@current", "/api/environments/1"])
def test_detail_routes_work_under_every_prefix(
    client: httpx.Client, make_alert: MakeAlert, prefix: str, suffix: str
) -> None:
    alert_id = make_alert()["id"]
    path = f"{prefix}/alerts/{alert_id}{suffix}"

    assert client.get(path).status_code == 200
    assert client.patch(path, json={"name": "renamed"}).json()["name"] == "renamed"
    assert client.delete(path).status_code == 204
    assert client.get(path).status_code == 404


def test_create_works_under_the_environments_prefix(client: httpx.Client) -> None:
    response = client.post("/api/environments/@current/alerts", json=valid_body())

    assert response.status_code == 201


@pytest.mark.parametrize("project", ["2", "999", "abc", "-1"])
def test_unknown_project_is_404_project_not_found(client: httpx.Client, project: str) -> None:
    response = client.get(f"/api/projects/{project}/alerts/")

    assert response.status_code == 404
    assert response.json() == error("not_found", "Project not found.", kind="invalid_request")


@pytest.mark.parametrize("alert_id", [UNKNOWN_ID, "not-a-uuid", "12345"])
def test_malformed_or_unknown_alert_id_is_404(client: httpx.Client, alert_id: str) -> None:
    for method in ("GET", "PATCH", "PUT", "DELETE"):
        response = client.request(method, f"{ALERTS}{alert_id}/", json={"name": "x"})
        assert response.status_code == 404, method
        assert response.json() == error("not_found", "Not found.", kind="invalid_request")


def test_alert_id_may_be_spelled_without_dashes(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert()["id"]

    response = client.get(f"{ALERTS}{alert_id.replace('-', '')}/")

    assert response.status_code == 200
    assert response.json()["id"] == alert_id


def test_unknown_path_is_404(client: httpx.Client) -> None:
    response = client.get("/api/projects/1/dashboards/")

    assert response.status_code == 404
    assert response.json() == error("not_found", "Not found.", kind="invalid_request")


@pytest.mark.parametrize(
    ("method", "path"),
    [("PUT", ALERTS), ("DELETE", ALERTS), ("PATCH", ALERTS), ("POST", f"{ALERTS}{UNKNOWN_ID}/")],
)
def test_wrong_method_is_405(client: httpx.Client, method: str, path: str) -> None:
    response = client.request(method, path, json={})

    assert response.status_code == 405
    assert response.json() == error(
        "method_not_allowed", f'Method "{method}" not allowed.', kind="invalid_request"
    )


def test_bad_json_is_400_parse_error(client: httpx.Client) -> None:
    response = client.post(
        ALERTS, content=b'{"insight": ', headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "invalid_request"
    assert body["code"] == "parse_error"
    assert body["detail"].startswith("JSON parse error - Expecting value")
    assert body["attr"] is None


def test_bad_json_on_patch_of_unknown_alert_is_404_first(client: httpx.Client) -> None:
    response = client.patch(
        f"{ALERTS}{UNKNOWN_ID}/", content=b"{", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 404


def test_non_json_media_type_is_415(client: httpx.Client) -> None:
    response = client.post(ALERTS, content=b"insight=101", headers={"Content-Type": "text/plain"})

    assert response.status_code == 415
    assert response.json() == error(
        "unsupported_media_type",
        'Unsupported media type "text/plain" in request.',
        kind="invalid_request",
    )


def test_body_that_is_not_an_object_is_rejected(client: httpx.Client) -> None:
    response = client.post(ALERTS, json=[1, 2])

    assert response.status_code == 400
    assert response.json() == error(
        "invalid_input", "Invalid data. Expected a dictionary, but got list."
    )


def test_head_answers_like_get_without_a_body(emu: Emulator, client: httpx.Client) -> None:
    response = client.head(ALERTS)

    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["Content-Length"]) > 0


def test_chunked_request_body_is_read(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"insight": 101, "subscribed_users": [1], '
        yield b'"threshold": {"configuration": {"type": "absolute", "bounds": {"upper": 5}}}, '
        yield b'"condition": {"type": "absolute_value"}, '
        yield b'"config": {"type": "TrendsAlertConfig", "series_index": 0}}'

    response = client.post(ALERTS, content=chunks(), headers={"Content-Type": "application/json"})

    assert response.status_code == 201, response.text
