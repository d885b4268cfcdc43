"""The server default of ``config.check_ongoing_interval`` (contract §2.5.5)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from alertsync.emulator import Emulator
from tests.builders import (
    ALERTS,
    BOLD_NUMBER,
    FUNNEL_STEPS,
    FUNNEL_TRENDS,
    METRICS,
    SQL_SIGNUPS,
    TRENDS_DAILY,
    TRENDS_HOURLY,
    TRENDS_TWO_SERIES,
    client_for,
    kind_body,
    seed_with,
    threshold,
    valid_body,
)

from .conftest import MakeAlert

UPPER = threshold(upper=100)


def _ongoing(created: dict[str, Any]) -> Any:
    return created["config"].get("check_ongoing_interval", "absent")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # trends: cadence shorter than the insight interval, absolute/increase, upper bound
        (valid_body(calculation_interval="hourly", threshold=UPPER), True),
        (valid_body(calculation_interval="every_15_minutes", threshold=UPPER), True),
        (valid_body(calculation_interval="real_time", threshold=UPPER), True),
        (valid_body(calculation_interval="daily", threshold=UPPER), "absent"),
        (valid_body(calculation_interval="hourly"), "absent"),  # lower bound only
        (valid_body(calculation_interval="hourly", threshold=UPPER,
                    condition={"type": "relative_increase"}), True),
        (valid_body(calculation_interval="hourly", threshold=threshold(upper=1, kind="percentage"),
                    condition={"type": "relative_decrease"}), "absent"),
        (valid_body(insight=TRENDS_TWO_SERIES, calculation_interval="daily", threshold=UPPER),
         True),  # week insight
        (valid_body(insight=TRENDS_HOURLY, calculation_interval="hourly", threshold=UPPER),
         "absent"),  # strictly shorter only
        (valid_body(insight=TRENDS_HOURLY, calculation_interval="every_15_minutes",
                    threshold=UPPER), True),
        (valid_body(insight=BOLD_NUMBER, calculation_interval="hourly", threshold=UPPER),
         "absent"),
        # explicit values are kept, null is replaced
        (valid_body(calculation_interval="hourly", threshold=UPPER,
                    config={"type": "TrendsAlertConfig", "series_index": 0,
                            "check_ongoing_interval": False}), False),
        (valid_body(calculation_interval="hourly", threshold=UPPER,
                    config={"type": "TrendsAlertConfig", "series_index": 0,
                            "check_ongoing_interval": None}), True),
        # funnels: historical-trend viz only, any condition
        (kind_body(FUNNEL_TRENDS, "funnel", calculation_interval="daily"), True),
        (kind_body(FUNNEL_TRENDS, "funnel", calculation_interval="weekly"), "absent"),
        (kind_body(FUNNEL_STEPS, "funnel", calculation_interval="hourly"), "absent"),
        # other kinds: never
        (kind_body(SQL_SIGNUPS, "sql", calculation_interval="hourly", threshold=UPPER), "absent"),
        (kind_body(METRICS, "metrics", calculation_interval="real_time", threshold=UPPER),
         "absent"),
    ],
)  # fmt: skip
def test_check_ongoing_interval_default_on_create(
    client: httpx.Client, body: dict[str, Any], expected: Any
) -> None:
    response = client.post(ALERTS, json=body)

    assert response.status_code == 201, response.text
    assert _ongoing(response.json()) == expected


def test_a_patch_without_config_can_turn_it_on(client: httpx.Client, make_alert: MakeAlert) -> None:
    created = make_alert(threshold=UPPER)
    assert _ongoing(created) == "absent"

    patched = client.patch(f"{ALERTS}{created['id']}/", json={"calculation_interval": "hourly"})

    assert patched.json()["config"] == {
        "type": "TrendsAlertConfig",
        "series_index": 0,
        "check_ongoing_interval": True,
    }
    stored = client.get(f"{ALERTS}{created['id']}/").json()["config"]
    assert stored["check_ongoing_interval"] is True


def test_the_default_uses_the_stored_threshold(client: httpx.Client, make_alert: MakeAlert) -> None:
    alert_id = make_alert(threshold=UPPER, calculation_interval="hourly",
                          config={"type": "TrendsAlertConfig", "series_index": 0,
                                  "check_ongoing_interval": False})["id"]  # fmt: skip

    patched = client.patch(
        f"{ALERTS}{alert_id}/", json={"config": {"type": "TrendsAlertConfig", "series_index": 0}}
    )

    assert patched.json()["config"]["check_ongoing_interval"] is True


def test_quarter_and_year_insights_count_as_long_intervals() -> None:
    seed = seed_with()
    query = {"kind": "TrendsQuery", "series": [{"kind": "EventsNode"}], "interval": "quarter"}
    seed["insights"].append({"id": 301, "short_id": "Quarter1", "query": query})
    with Emulator(seed=seed) as emu, client_for(emu) as client:
        body = valid_body(insight=301, calculation_interval="monthly", threshold=UPPER)
        created = client.post(ALERTS, json=body).json()

    assert created["config"]["check_ongoing_interval"] is True


def test_an_insight_without_interval_groups_by_day(make_alert: MakeAlert) -> None:
    assert TRENDS_DAILY == 101
    created = make_alert(calculation_interval="hourly", threshold=UPPER)

    assert created["config"]["check_ongoing_interval"] is True
