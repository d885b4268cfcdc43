"""Every config kind against every insight kind (contract §2.5): exact messages, PostHog's order."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from alertsync.emulator import Emulator
from tests.builders import (
    ALERTS,
    BOLD_NUMBER,
    DONUT,
    FUNNEL_STEPS,
    FUNNEL_TIME_TO_CONVERT,
    FUNNEL_TRENDS,
    METRICS,
    RETENTION,
    SQL_ERRORS,
    SQL_SIGNUPS,
    TRENDS_DAILY,
    WORLD_MAP,
    add_key,
    client_for,
    error,
    kind_body,
    seed_with,
    threshold,
    valid_body,
)

RELATIVE = {"type": "relative_increase"}
DECREASE = {"type": "relative_decrease"}
PERCENT = threshold(upper=10, kind="percentage")


def _funnel(**config: Any) -> dict[str, Any]:
    return {"type": "FunnelsAlertConfig", "metric": "conversion_from_start", **config}


def _sql(**config: Any) -> dict[str, Any]:
    return {"type": "HogQLAlertConfig", "evaluation": "last_row", **config}


ACCEPTED = [
    kind_body(SQL_SIGNUPS, "sql"),
    kind_body(SQL_SIGNUPS, "sql", condition=RELATIVE, threshold=PERCENT),
    valid_body(insight=SQL_ERRORS, config=_sql(evaluation="any_row", column="error_rate",
                                                label_column="service")),
    valid_body(insight=SQL_SIGNUPS, config=_sql(evaluation="first_row", column="signups")),
    kind_body(FUNNEL_STEPS, "funnel"),
    valid_body(insight=FUNNEL_STEPS, config=_funnel(funnel_step=2)),
    valid_body(insight=FUNNEL_STEPS, config=_funnel(metric="conversion_from_previous",
                                                     funnel_step=1)),
    valid_body(insight=FUNNEL_STEPS, config=_funnel(check_ongoing_interval=True)),
    kind_body(FUNNEL_TRENDS, "funnel", condition=DECREASE, threshold=PERCENT),
    valid_body(insight=FUNNEL_TRENDS, config=_funnel(metric="conversion_from_previous",
                                                      funnel_step=0)),
    kind_body(METRICS, "metrics"),
    valid_body(insight=METRICS, config={"type": "MetricsAlertConfig",
                                         "check_ongoing_interval": True},
               threshold=threshold(upper=5)),
    valid_body(insight=DONUT, condition={"type": "absolute_value"}),
]  # fmt: skip


@pytest.mark.parametrize("body", ACCEPTED)
def test_every_alertable_kind_is_accepted(client: httpx.Client, body: dict[str, Any]) -> None:
    response = client.post(ALERTS, json=body)

    assert response.status_code == 201, response.text
    assert response.json()["config"]["type"] == body["config"]["type"]


REFUSED = [
    (valid_body(insight=DONUT, condition=RELATIVE),
     "Relative alert condition 'relative_increase' is not compatible with non time series "
     "trends"),
    (kind_body(SQL_SIGNUPS, "trends"),
     "Alert's insight query kind 'HogQLQuery' is not supported (only TrendsQuery)"),
    (kind_body(FUNNEL_STEPS, "trends"),
     "Alert's insight query kind 'FunnelsQuery' is not supported (only TrendsQuery)"),
    (kind_body(TRENDS_DAILY, "sql"),
     "SQL alert config requires a HogQLQuery insight, got 'TrendsQuery'"),
    (valid_body(insight=SQL_SIGNUPS, config={"type": "HogQLAlertConfig"}),
     "Alert has invalid HogQLAlertConfig: {'type': 'HogQLAlertConfig'}"),
    (valid_body(insight=SQL_SIGNUPS, config=_sql(evaluation="middle_row")),
     "Alert has invalid HogQLAlertConfig: "
     "{'type': 'HogQLAlertConfig', 'evaluation': 'middle_row'}"),
    (valid_body(insight=SQL_SIGNUPS, config=_sql(column=3)),
     "Alert has invalid HogQLAlertConfig: "
     "{'type': 'HogQLAlertConfig', 'evaluation': 'last_row', 'column': 3}"),
    (valid_body(insight=SQL_SIGNUPS, config=_sql(series_index=0)),
     "Alert has invalid HogQLAlertConfig: "
     "{'type': 'HogQLAlertConfig', 'evaluation': 'last_row', 'series_index': 0}"),
    (valid_body(insight=SQL_ERRORS, config=_sql(evaluation="any_row"), condition=DECREASE,
                threshold=PERCENT),
     "Any-row SQL alerts only support absolute value conditions"),
    (valid_body(insight=SQL_ERRORS, config=_sql(evaluation="any_row"),
                detector_config={"type": "zscore"}, threshold=threshold()),
     "Anomaly detection isn't supported for any-row SQL alerts — use last-row or first-row"),
    (kind_body(SQL_SIGNUPS, "sql", threshold=threshold(upper=1, kind="percentage")),
     "Absolute value alerts require an absolute threshold, but a percentage threshold was "
     "configured"),
    (kind_body(METRICS, "funnel"),
     "Funnel alert config requires a FunnelsQuery insight, got 'MetricsQuery'"),
    (valid_body(insight=FUNNEL_STEPS, config={"type": "FunnelsAlertConfig"}),
     "Alert has invalid FunnelsAlertConfig: {'type': 'FunnelsAlertConfig'}"),
    (valid_body(insight=FUNNEL_STEPS, config=_funnel(funnel_step="second")),
     "Alert has invalid FunnelsAlertConfig: {'type': 'FunnelsAlertConfig', "
     "'metric': 'conversion_from_start', 'funnel_step': 'second'}"),
    (kind_body(FUNNEL_TIME_TO_CONVERT, "funnel"),
     "Funnel alerts aren't supported for the 'time_to_convert' visualization."),
    (kind_body(FUNNEL_STEPS, "funnel", condition=RELATIVE, threshold=PERCENT),
     "This funnel only supports absolute value conditions"),
    (valid_body(insight=FUNNEL_STEPS, config=_funnel(funnel_step=-1)),
     "funnel_step must be >= 0, got -1"),
    (valid_body(insight=FUNNEL_STEPS, config=_funnel(funnel_step=3)),
     "funnel_step 3 is out of range (funnel has 3 steps)"),
    (valid_body(insight=FUNNEL_STEPS, config=_funnel(metric="conversion_from_previous",
                                                     funnel_step=0)),
     "conversion_from_previous is undefined at the first step; use conversion_from_start "
     "instead"),
    (kind_body(FUNNEL_STEPS, "funnel", threshold=threshold(upper=1, kind="percentage")),
     "Absolute value alerts require an absolute threshold, but a percentage threshold was "
     "configured"),
    (kind_body(SQL_SIGNUPS, "metrics"),
     "Metrics alert config requires a MetricsQuery insight, got 'HogQLQuery'"),
    (valid_body(insight=METRICS, config={"type": "MetricsAlertConfig", "series_index": 0}),
     "Alert has invalid MetricsAlertConfig: {'type': 'MetricsAlertConfig', 'series_index': 0}"),
    (valid_body(insight=METRICS, config={"type": "MetricsAlertConfig",
                                         "check_ongoing_interval": True}),
     "check_ongoing_interval is only supported for alert condition absolute_value when upper "
     "threshold is specified"),
    (kind_body(METRICS, "metrics", detector_config={"type": "zscore"}, threshold=threshold()),
     "Anomaly detection alerts aren't supported for MetricsQuery insights"),
    (kind_body(FUNNEL_TRENDS, "funnel", detector_config={"type": "mad"}, threshold=threshold()),
     "Anomaly detection alerts aren't supported for FunnelsQuery insights"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "detail"), REFUSED)
def test_per_kind_rules(client: httpx.Client, body: dict[str, Any], detail: str) -> None:
    response = client.post(ALERTS, json=body)

    assert response.json() == error("invalid_input", detail)


@pytest.mark.parametrize("insight", [WORLD_MAP, BOLD_NUMBER, DONUT])
def test_every_non_time_series_display_refuses_relative_conditions(
    client: httpx.Client, insight: int
) -> None:
    body = valid_body(insight=insight, condition=DECREASE, threshold=PERCENT)

    assert "non time series trends" in client.post(ALERTS, json=body).json()["detail"]


def test_the_detector_kind_rule_comes_before_the_config_type(client: httpx.Client) -> None:
    body = valid_body(insight=FUNNEL_STEPS, config=None, detector_config={"type": "zscore"})

    assert client.post(ALERTS, json=body).json()["detail"] == (
        "Anomaly detection alerts aren't supported for FunnelsQuery insights"
    )


def test_retention_cannot_carry_alerts(client: httpx.Client) -> None:
    response = client.post(ALERTS, json=valid_body(insight=RETENTION))

    assert response.json() == error(
        "invalid_input", "Alerts are not supported for this insight.", "insight"
    )


def _seed_insight(query: dict[str, Any], insight_id: int = 300) -> dict[str, Any]:
    seed = seed_with()
    seed["insights"].append({"id": insight_id, "short_id": f"Q{insight_id}", "query": query})
    return seed


@pytest.mark.parametrize(
    ("query", "alertable"),
    [
        ({"kind": "TrendsQuery", "series": [{"kind": "EventsNode"}]}, True),
        ({"kind": "DataTableNode", "source": {"kind": "TrendsQuery", "series": []}}, True),
        ({"kind": "DataVisualizationNode", "source": {"kind": "HogQLQuery", "query": "x"}}, True),
        ({"kind": "InsightVizNode", "source": {"kind": "FunnelsQuery", "series": []}}, True),
        ({"kind": "InsightVizNode", "source": {"kind": "PathsQuery"}}, False),
        ({"kind": "DataTableNode", "source": {"kind": "InsightVizNode",
                                               "source": {"kind": "TrendsQuery"}}}, False),
        ({"kind": "LifecycleQuery", "series": []}, False),
    ],
)  # fmt: skip
def test_one_wrapper_node_is_unwrapped(query: dict[str, Any], alertable: bool) -> None:
    with Emulator(seed=_seed_insight(query)) as emu, client_for(emu) as client:
        response = client.post(ALERTS, json=valid_body(insight=300))

    refused = response.json().get("detail") == "Alerts are not supported for this insight."
    assert refused is not alertable


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ({"kind": "TrendsQuery"},
         "Alert's insight has an invalid TrendsQuery: 1 validation error for TrendsQuery\n"
         "series\n  Field required [type=missing"),
        ({"kind": "TrendsQuery", "series": [], "interval": "fortnight"},
         "interval\n  Input should be 'second', 'minute', 'hour', 'day', 'week', 'month', "
         "'quarter' or 'year' [type=enum, input_value='fortnight'"),
    ],
)  # fmt: skip
def test_an_invalid_query_is_named(query: dict[str, Any], fragment: str) -> None:
    with Emulator(seed=_seed_insight(query)) as emu, client_for(emu) as client:
        detail = client.post(ALERTS, json=valid_body(insight=300)).json()["detail"]

    assert fragment in detail


def test_an_invalid_funnel_viz_is_an_invalid_query() -> None:
    query = {"kind": "FunnelsQuery", "series": [], "funnelsFilter": {"funnelVizType": "sankey"}}
    with Emulator(seed=_seed_insight(query)) as emu, client_for(emu) as client:
        detail = client.post(ALERTS, json=kind_body(300, "funnel")).json()["detail"]

    assert detail.startswith("Alert's insight has an invalid FunnelsQuery: 1 validation error")
    assert "funnelsFilter.funnelVizType\n  Input should be 'steps'" in detail


def test_formula_nodes_are_the_series_an_alert_picks_from() -> None:
    query = {
        "kind": "TrendsQuery",
        "series": [{"kind": "EventsNode"}, {"kind": "EventsNode"}],
        "trendsFilter": {"formulaNodes": [{"formula": "A/B"}]},
    }
    config = {"type": "TrendsAlertConfig", "series_index": 1}
    with Emulator(seed=_seed_insight(query)) as emu, client_for(emu) as client:
        detail = client.post(ALERTS, json=valid_body(insight=300, config=config)).json()["detail"]

    assert detail == "series_index 1 is out of range (query has 1 series)"


# -- metrics: the organization flag and the token's data scope -----------------------------


def test_metrics_alerts_need_the_metrics_flag() -> None:
    seed = seed_with(organization={"feature_flags": []})
    with Emulator(seed=seed) as emu, client_for(emu) as client:
        created = client.post(ALERTS, json=kind_body(METRICS, "metrics"))

    assert created.json() == error(
        "invalid_input", "Metrics insight alerts are not enabled for your account.", "insight"
    )


def test_metrics_flag_is_enforced_on_a_patch_without_insight(tmp_path: Any) -> None:
    state = tmp_path / "state.json"
    with Emulator(state_path=state) as emu, client_for(emu) as client:
        alert_id = client.post(ALERTS, json=kind_body(METRICS, "metrics")).json()["id"]
    seed = seed_with(organization={"feature_flags": []})
    with Emulator(seed=seed, state_path=state) as emu, client_for(emu) as client:
        patched = client.patch(f"{ALERTS}{alert_id}/", json={"name": "renamed"})

    assert patched.json() == error(
        "invalid_input", "Metrics insight alerts are not enabled for your account."
    )


@pytest.mark.parametrize(
    ("scopes", "status"),
    [
        (["alert:write"], 403),
        (["alert:write", "metrics:read"], 201),
        (["alert:write", "metrics:write"], 201),
        (["*"], 201),
        ([], 201),
    ],
)
def test_writing_metrics_alerts_needs_a_metrics_scope(scopes: list[str], status: int) -> None:
    seed = seed_with()
    key = add_key(seed, scopes)
    with Emulator(seed=seed) as emu, client_for(emu, key) as client:
        response = client.post(ALERTS, json=kind_body(METRICS, "metrics"))

    assert response.status_code == status
    if status == 403:
        assert response.json() == error(
            "permission_denied",
            "API key missing required scope 'metrics:read'",
            kind="authentication_error",
        )


def test_metrics_alerts_are_hidden_from_keys_without_a_metrics_scope() -> None:
    seed = seed_with()
    plain = add_key(seed, ["alert:write"])
    with Emulator(seed=seed) as emu, client_for(emu) as owner, client_for(emu, plain) as other:
        metrics_id = owner.post(ALERTS, json=kind_body(METRICS, "metrics")).json()["id"]
        trends_id = owner.post(ALERTS, json=valid_body()).json()["id"]
        listed = other.get(ALERTS).json()
        detail = f"{ALERTS}{metrics_id}/"
        statuses = [
            other.get(detail).status_code,
            other.patch(detail, json={"name": "x"}).status_code,
            other.delete(detail).status_code,
        ]
        still_there = owner.get(detail).status_code

    assert [item["id"] for item in listed["results"]] == [trends_id]
    assert listed["count"] == 1
    assert statuses == [404, 404, 404]
    assert still_there == 200
