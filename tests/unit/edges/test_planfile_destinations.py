"""Saved plans with destination changes: read back exactly, and refused when edited."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from alertsync.edges.planfile import loads
from alertsync.errors import PlanFileError
from alertsync.model import Guards, Plan
from alertsync.render.json import render_json
from alertsync.render.text import render_plan
from tests.golden import scenarios
from tests.golden.scenarios import TARGET


def destinations_plan() -> Plan:
    return replace(
        scenarios.destinations_plan(), files=("alerts.yaml",), digest="sha256:" + "0" * 64
    )


def saved() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render_json(destinations_plan(), TARGET, Guards()))
    return document


def test_a_plan_with_destinations_reads_back_as_it_was_written() -> None:
    plan = destinations_plan()
    again = loads(render_json(plan, TARGET, Guards()), "plan.json")
    assert again.plan.changes == plan.changes
    assert render_plan(again.plan, target=TARGET) == render_plan(plan, target=TARGET)


def _routes(doc: dict[str, Any], name: str) -> list[dict[str, Any]]:
    change = next(c for c in doc["changes"] if c["name"] == name)
    routes: list[dict[str, Any]] = change["destinations"]
    return routes


def _new_url(doc: dict[str, Any]) -> None:
    _routes(doc, "New with routes")[1]["after"]["url"]["sha256"] = "0" * 64


def _cascade_an_update(doc: dict[str, Any]) -> None:
    _routes(doc, "Routed")[2]["goes_with_the_alert"] = True


def _send_for_a_cascade(doc: dict[str, Any]) -> None:
    _routes(doc, "Gone")[0]["goes_with_the_alert"] = False


def _other_function(doc: dict[str, Any]) -> None:
    _routes(doc, "Routed")[2]["request"]["path"] = "/api/projects/12345/hog_functions/other/"


def _hidden_detail(doc: dict[str, Any]) -> None:
    _routes(doc, "Routed")[1]["details"] = []


def _unchanged_update(doc: dict[str, Any]) -> None:
    route = _routes(doc, "Routed")[1]
    route["after"] = dict(route["before"])
    route["details"] = []


def _dropped_routes(doc: dict[str, Any]) -> None:
    next(c for c in doc["changes"] if c["name"] == "Routed").pop("destinations")


TAMPERINGS: dict[str, Callable[[dict[str, Any]], None]] = {
    "another URL": _new_url,
    "an update said to go with its alert": _cascade_an_update,
    "a deleted alert's destination sent": _send_for_a_cascade,
    "another hog function": _other_function,
    "a detail hidden": _hidden_detail,
    "an update that changes nothing": _unchanged_update,
    "the destination changes removed": _dropped_routes,
}


@pytest.mark.parametrize("tamper", TAMPERINGS.values(), ids=list(TAMPERINGS))
def test_an_edited_destination_change_is_refused(tamper: Callable[[dict[str, Any]], None]) -> None:
    document = saved()
    tamper(document)
    with pytest.raises(PlanFileError):
        loads(json.dumps(document), "plan.json")
