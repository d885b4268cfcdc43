"""A listing that answers 200 with alerts of another shape is never planned from."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from alertsync.emulator import Emulator, NoFaults
from alertsync.emulator.wire import Request, Response, json_response
from tests.builders import EXAMPLE, Runner


class Reshaped(NoFaults):
    """Once enabled, rewrites the items of every alerts listing (the rest goes through)."""

    def __init__(self, change: Callable[[list[dict[str, Any]]], None]) -> None:
        self.change = change
        self.enabled = False

    def after(self, request: Request, response: Response) -> Response:
        listing = request.method == "GET" and request.path.rstrip("/").endswith("/alerts")
        if not (self.enabled and listing):
            return response
        page = json.loads(response.body)
        self.change(page["results"])
        return json_response(response.status, page)


def first(key: str, value: Any) -> Callable[[list[dict[str, Any]]], None]:
    def change(items: list[dict[str, Any]]) -> None:
        items[0][key] = value

    return change


def drop(key: str) -> Callable[[list[dict[str, Any]]], None]:
    def change(items: list[dict[str, Any]]) -> None:
        del items[0][key]

    return change


MALFORMED = {
    "name a number": (first("name", 5), "its 'name' is not a string"),
    "no name": (drop("name"), "it has no 'name'"),
    "id a number": (first("id", 1), "its 'id' is not a non-empty string"),
    "threshold a string": (first("threshold", "nope"), "its 'threshold' is not an object"),
    "bound a string": (
        first(
            "threshold",
            {"name": "", "configuration": {"type": "absolute", "bounds": {"lower": "x"}}},
        ),
        "has a bound 'lower' that is not a number",
    ),
    "no id": (drop("id"), "it has no 'id'"),
    "users not a list": (first("subscribed_users", 3), "its 'subscribed_users' is not a list"),
    "enabled a string": (first("enabled", "yes"), "its 'enabled' is not true or false"),
    "insight a string": (first("insight", "Ab3dE9fG"), "its 'insight' is neither"),
    "item a list": (lambda items: items.__setitem__(0, [1]), "it is not an object"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
@pytest.mark.parametrize("command", ["plan", "apply", "export"])
def test_a_malformed_live_alert_stops_plan_apply_and_export(
    case: str, command: str, tmp_path: Path
) -> None:
    change, message = MALFORMED[case]
    policy = Reshaped(change)
    with Emulator(fault_policy=policy) as emu:
        run = Runner(emu)
        assert run("apply", str(EXAMPLE), "--auto-approve").exit_code == 0
        policy.enabled = True
        run.emu.clear_requests()
        args = {
            "plan": ["plan", str(EXAMPLE)],
            "apply": ["apply", str(EXAMPLE), "--auto-approve"],
            "export": ["export", "--output", str(tmp_path / "out.yaml")],
        }[command]
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert "in a shape alertsync cannot read" in result.stderr and message in result.stderr
        assert "Traceback" not in result.output
        assert run.writes() == []
        assert not (tmp_path / "out.yaml").exists()
