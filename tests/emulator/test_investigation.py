"""Investigation fields (contract §2.9): the agent needs a detector or a metrics insight."""

from __future__ import annotations

import httpx
import pytest

from tests.builders import ALERTS, METRICS, error, kind_body, threshold, valid_body

from .conftest import MakeAlert

AGENT = error(
    "invalid_input",
    "Investigation agent is only supported for anomaly detection alerts.",
    "investigation_agent_enabled",
)
GATING = error(
    "invalid_input",
    "Notification gating requires investigation_agent_enabled=true.",
    "investigation_gates_notifications",
)


def test_defaults(make_alert: MakeAlert) -> None:
    created = make_alert()

    assert created["investigation_agent_enabled"] is False
    assert created["investigation_gates_notifications"] is False
    assert created["investigation_inconclusive_action"] == "notify"


def test_the_agent_on_a_metrics_insight_needs_no_detector(client: httpx.Client) -> None:
    body = kind_body(METRICS, "metrics", investigation_agent_enabled=True,
                     investigation_gates_notifications=True,
                     investigation_inconclusive_action="suppress")  # fmt: skip

    created = client.post(ALERTS, json=body).json()

    assert created["investigation_agent_enabled"] is True
    assert created["investigation_inconclusive_action"] == "suppress"


def test_removing_the_detector_under_an_enabled_agent_fails(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert(
        detector_config={"type": "zscore"},
        threshold=threshold(lower=1),
        investigation_agent_enabled=True,
    )["id"]

    response = client.patch(f"{ALERTS}{alert_id}/", json={"detector_config": None})

    assert response.json() == AGENT


def test_turning_off_the_agent_under_gating_fails(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert(
        detector_config={"type": "zscore"},
        investigation_agent_enabled=True,
        investigation_gates_notifications=True,
    )["id"]

    response = client.patch(f"{ALERTS}{alert_id}/", json={"investigation_agent_enabled": False})

    assert response.json() == GATING


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"investigation_agent_enabled": True}, AGENT),
        ({"investigation_agent_enabled": True, "detector_config": None}, AGENT),
        ({"investigation_gates_notifications": True}, GATING),
        ({"investigation_inconclusive_action": "ignore"},
         error("invalid_choice", '"ignore" is not a valid choice.',
               "investigation_inconclusive_action")),
        ({"investigation_agent_enabled": "sometimes"},
         error("invalid_input", "Must be a valid boolean.", "investigation_agent_enabled")),
    ],
)  # fmt: skip
def test_investigation_rules(
    client: httpx.Client, changes: dict[str, object], expected: object
) -> None:
    assert client.post(ALERTS, json=valid_body(**changes)).json() == expected
