"""The representative plans and apply reports whose whole rendering the golden files pin."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from alertsync.core.plan import make_plan
from alertsync.core.staleness import stale_checker
from alertsync.model import (
    DestResult,
    EnvironmentPlan,
    Guards,
    InsightLabel,
    Labels,
    LiveDest,
    Plan,
    Problem,
    Provenance,
    Result,
    Target,
)
from tests.builders import live, read_shape, spec

TARGET = Target("https://eu.posthog.com", "12345")
PLAN_ID = "3f9a1c2b7d4e5f60"  # what the reports print (the plan id is pinned by the plans)
BOUNDS = {"type": "absolute", "bounds": {"lower": 50}}
MADE = Provenance(
    "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
    "refs/pull/7/merge",
    "https://github.com/acme/alerts/actions/runs/42",
    "GitHub Actions",
)


def planned(plan: Plan) -> Plan:
    """The plan as `plan` makes it from files: with their names and digest."""
    return replace(plan, files=("alerts/alerts.yaml",), digest="sha256:" + "5e" * 32)


def labels() -> Labels:
    return Labels(
        insights={
            101: InsightLabel(101, "Ab3dE9fG", "Daily signups", series=("Signups", "Activations")),
            102: InsightLabel(102, "Kx7pQ2mN", "Revenue by plan"),
        },
        users={1: "ada@example.com", 2: "grace@example.com", 3: "alan@example.com"},
    )


def _threshold(**bounds: Any) -> dict[str, Any]:
    return {"configuration": {"type": "absolute", "bounds": bounds}}


# Each update changes one kind of field, so the golden files show every way one reads.
UPDATES: dict[str, dict[str, Any]] = {
    "Bound tightened": {"threshold": _threshold(lower=60)},
    "Bound loosened": {"threshold": _threshold(lower=40)},
    "Upper bound added": {"threshold": _threshold(lower=50, upper=500)},
    "Threshold renamed": {"threshold": {"name": "Daily floor", "configuration": BOUNDS}},
    "Percentage threshold": {
        "threshold": {"configuration": {"type": "percentage", "bounds": {"upper": 0.2}}},
        "condition": {"type": "relative_increase"},
    },
    "Condition changed": {"condition": {"type": "relative_decrease"}},
    "Series changed": {"config": {"series_index": 1}},
    "Ongoing interval checked": {
        "threshold": _threshold(lower=50, upper=900),
        "config": {"series_index": 0, "check_ongoing_interval": True},
    },
    "Interval changed": {"calculation_interval": "hourly"},
    "Disabled": {"enabled": False},
    "Weekends skipped": {"skip_weekend": True},
    "Recipients changed": {"subscribed_users": [1, 3]},
    "Moved insight": {"insight": 102},
    "Disabled and loosened": {"enabled": False, "threshold": _threshold(lower=40)},
}
# Live alerts that are disabled already, and whose files keep them disabled.
STAYING_DISABLED: dict[str, dict[str, Any]] = {
    "Disabled, bound changed": {"enabled": False, "threshold": _threshold(lower=70)},
}


def mixed_plan() -> Plan:
    """A create, one update per kind of field, and a delete."""
    desired = {"New alert": spec("New alert", subscribed_users=[1], calculation_interval="weekly")}
    current = []
    for index, (name, over) in enumerate(UPDATES.items()):
        desired[name] = spec(name, **over)
        current.append(read_shape(f"0197a5c2-0000-7000-8000-{index:012d}", name))
    for index, (name, over) in enumerate(STAYING_DISABLED.items(), start=len(UPDATES)):
        desired[name] = spec(name, **over)
        alert_id = f"0197a5c2-0000-7000-8000-{index:012d}"
        current.append(read_shape(alert_id, name, enabled=False))
    current.append(read_shape("0197a5c2-0000-7000-8000-999999999999", "Old alert"))
    return planned(make_plan(desired, live(*current), None, Guards(), labels()))


def no_changes_plan() -> Plan:
    return planned(make_plan({"Signups": spec()}, live(read_shape("a1")), None, Guards(), labels()))


def stale_report() -> list[Result]:
    """A saved plan applied after the UI moved two of its alerts: those two are refused."""
    reviewed = mixed_plan()
    now = [read_shape(f"0197a5c2-0000-7000-8000-{i:012d}", n) for i, n in enumerate(UPDATES)]
    now[0]["enabled"] = False  # "Bound tightened" edited in the UI
    del now[1]  # "Bound loosened" deleted in the UI
    now.append(read_shape("0197a5c2-0000-7000-8000-888888888888", "New alert"))  # made by hand
    check = stale_checker(live(*now))
    results = []
    for change in reviewed.changes:
        refused = check(change)
        results.append(refused or Result(change, "done", alert_id=change.alert_id or "new-id"))
    return results


def partial_failure_report() -> list[Result]:
    """An update PostHog refused, so the delete after it was held back."""
    plan = mixed_plan()
    results = []
    for change in plan.changes:
        if change.name == "Series changed":
            results.append(
                Result(
                    change,
                    "failed",
                    "updating alert 'Series changed': PostHog answered 400: series_index 1 is "
                    "out of range (query has 1 series)",
                )
            )
        elif change.action == "delete":
            results.append(
                Result(
                    change,
                    "skipped",
                    "not deleted because a create or update failed (a rename would lose the "
                    "alert); fix the failure and run apply again",
                )
            )
        elif change.action == "create":
            results.append(Result(change, "done", alert_id="0197a5c2-0000-7000-8000-777777777777"))
        else:
            results.append(Result(change, "done", alert_id=change.alert_id))
    return results


# -- destinations ---------------------------------------------------------------------------

HOOK = {"host": "hooks.example.com", "sha256": "9c1f" * 15 + "3f9a"}
TEAMS = {"host": "contoso.webhook.office.com", "sha256": "77b0" * 16}
DISCORD = {"host": "discord.com", "sha256": "a8dd" * 16}


def routed_labels() -> Labels:
    routes = labels()
    routes.workspaces[42] = "Hedgebox"
    routes.channels.update({"C0123456789": "growth-alerts", "C0ENGALERTS": "eng-alerts"})
    return routes


def destinations_plan() -> Plan:
    """A new alert with two destinations; one whose channel changes, one removed, one added;
    a deleted alert whose destination goes with it."""
    slack: dict[str, Any] = {"type": "slack", "workspace": 42, "channel": "C0123456789"}
    desired = {
        "New with routes": spec("New with routes"),
        "Routed": spec("Routed"),
    }
    routes: dict[str, list[dict[str, Any]]] = {
        "New with routes": [slack, {"type": "webhook", "url": HOOK, "url_env": "GROWTH_HOOK"}],
        "Routed": [
            {**slack, "channel": "C0ENGALERTS", "text": "Errors are up"},
            {"type": "teams", "url": TEAMS, "url_env": "TEAMS_HOOK"},
        ],
    }
    routed_id, gone_id = (
        "0197a5c2-0000-7000-8000-000000000001",
        "0197a5c2-0000-7000-8000-000000000002",
    )
    current = live(read_shape(routed_id, "Routed"), read_shape(gone_id, "Gone"))
    text = "Alert triggered: {event.properties.insight_name}"
    have = {
        routed_id: [
            LiveDest("fn-1", routed_id, {**slack, "text": text, "enabled": True}),
            LiveDest("fn-2", routed_id, {"type": "discord", "url": DISCORD, "enabled": True}),
        ],
        gone_id: [LiveDest("fn-3", gone_id, {**slack, "enabled": True})],
    }
    return planned(make_plan(desired, current, None, Guards(), routed_labels(), routes, have))


def destinations_report() -> list[Result]:
    """The new alert saved, one of its destinations refused; the rest done."""
    results = []
    for change in destinations_plan().changes:
        alert_id = change.alert_id or "0197a5c2-0000-7000-8000-777777777777"
        routes = [
            DestResult(d, "done", dest_id=d.dest_id or f"fn-new-{i}")
            for i, d in enumerate(change.destinations)
            if not d.cascade
        ]
        if change.name == "New with routes":
            routes[1] = DestResult(
                routes[1].change,
                "failed",
                "adding webhook hooks.example.com to alert 'New with routes': PostHog answered "
                "400: Value must be a string. (field inputs.url)",
            )
            message = (
                f"the alert is saved (id {alert_id}), but 1 of its 2 destination change(s) did "
                "not go through; run apply again to finish them"
            )
            results.append(Result(change, "failed", message, alert_id, destinations=tuple(routes)))
        else:
            results.append(Result(change, "done", alert_id=alert_id, destinations=tuple(routes)))
    return results


# -- environments -------------------------------------------------------------------------

PRODUCTION = Target("https://us.posthog.com", "678")
STAGING = TARGET


def production_plan() -> Plan:
    """A create, an update and a delete."""
    desired = {
        "New alert": spec("New alert", subscribed_users=[1], calculation_interval="weekly"),
        "Bound tightened": spec("Bound tightened", threshold=_threshold(lower=60)),
    }
    current = [
        read_shape("0197a5c2-0000-7000-8000-000000000001", "Bound tightened"),
        read_shape("0197a5c2-0000-7000-8000-000000000002", "Old alert"),
    ]
    return make_plan(desired, live(*current), None, Guards(), labels())


def environments_plan() -> list[EnvironmentPlan]:
    """Two environments: production with changes, staging in sync."""
    return [
        EnvironmentPlan("production", PRODUCTION, production_plan()),
        EnvironmentPlan("staging", STAGING, no_changes_plan()),
    ]


def environments_plan_with_a_failure() -> list[EnvironmentPlan]:
    """A third environment whose files name an insight its project does not have."""
    problem = Problem(
        "alerts/signups.yaml",
        3,
        14,
        "alerts[0].insight",
        "no insight with short id 'Kx7pQ2mN' in project 999 (in environment qa)",
    )
    failed = EnvironmentPlan(
        "qa",
        Target("https://eu.posthog.com", "999"),
        None,
        "1 problem(s) in the alert files for this environment",
        (problem,),
    )
    return [*environments_plan(), failed]
