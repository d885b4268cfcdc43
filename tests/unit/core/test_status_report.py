"""The report over what the files own: ownership by name and scope, one row per live copy,
missing alerts, notes, counts, and what --fail-on makes of it."""

from __future__ import annotations

from typing import Any

from alertsync.core.health import Now
from alertsync.core.instants import parse_instant, utc
from alertsync.core.status_report import StatusReport, owned, summary, target_status
from alertsync.model import Target
from tests.builders import alert, check_row, desired_of, read_shape

TARGET = Target("https://eu.posthog.com", "12345")
NOW = Now(parse_instant("2025-06-04T12:00:00Z") or 0.0, utc)
FRESH: dict[str, Any] = {
    "last_checked_at": "2025-06-04T01:00:00Z",
    "snoozed_until": None,
    "checks": [],
}


def test_the_files_own_their_alerts_by_name_within_their_scope() -> None:
    desired = desired_of(alert("[g] Signups"), alert("[g] Revenue"), prefix="[g] ")
    listed = [
        read_shape("b", "[g] Signups", created_at="2025-06-02T00:00:00Z"),
        read_shape("a", "[g] Signups", created_at="2025-06-01T00:00:00Z"),
        read_shape("c", "[g] Other"),
        read_shape("d", "Someone else's"),
    ]
    found, others = owned(desired, listed)
    assert {name: [a["id"] for a in copies] for name, copies in found.items()} == {
        "[g] Signups": ["a", "b"]  # oldest first
    }
    assert others == 1


def test_every_declared_alert_gets_a_row_and_notes_say_what_is_odd() -> None:
    desired = desired_of(alert("Revenue"), alert("Signups"), alert("New"))
    live = {
        "Signups": [
            read_shape("a", "Signups", state="Firing", **FRESH),
            read_shape("b", "Signups", state="Not firing", **FRESH),
        ],
        "Revenue": [
            read_shape(
                "c",
                "Revenue",
                state="Errored",
                **{
                    **FRESH,
                    "checks": [
                        check_row("Errored", "2025-06-04T01:00:00Z", error={"message": "Timed out"})
                    ],
                },
            ),
        ],
    }
    target = target_status(desired, live, [], TARGET, NOW, unmanaged=2)
    rows = [(s.name, s.alert_id, s.conditions) for s in target.alerts]
    assert rows == [
        ("New", None, ("missing",)),
        ("Revenue", "c", ("errored",)),
        ("Signups", "a", ("firing",)),
        ("Signups", "b", ()),
    ]
    assert target.notes == (
        "2 live alerts are named 'Signups' (a, b): each is shown",
        "2 other live alert(s) in scope are not in the files",
    )
    assert target.taken_at == "2025-06-04T12:00:00Z"
    assert target.alerts[0].source == "alerts.yaml:1"
    assert summary(target)["firing"] == 1 and summary(target)["missing"] == 1


def test_fail_on_selects_the_conditions_that_fail_the_run() -> None:
    desired = desired_of(alert("Signups"), alert("New"))
    live = {"Signups": [read_shape("a", "Signups", state="Firing", **FRESH)]}
    target = target_status(desired, live, None, TARGET, NOW)
    default = StatusReport((target,), "UTC", ("errored", "overdue", "destination-disabled"))
    assert not default.failed
    strict = StatusReport((target,), "UTC", ("firing", "missing"))
    assert strict.failed
    assert [strict.failing(s) for s in target.alerts] == [("missing",), ("firing",)]
    assert not StatusReport((target,), "UTC", ()).failed
