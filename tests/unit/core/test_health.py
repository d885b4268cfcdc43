"""The status of one alert from what PostHog returns: state and since when, the last error,
overdue, snoozed, disabled, its destinations, and the conditions they put it in."""

from __future__ import annotations

from typing import Any

from alertsync.core.health import AlertStatus, Now, alert_status, missing_status, since
from alertsync.core.instants import parse_instant, utc
from tests.builders import check_row, hog_function, read_shape

NOW = "2025-06-04T12:00:00Z"


def status_of(raw: dict[str, Any], functions: Any = (), *, in_file: bool = True) -> AlertStatus:
    now = parse_instant(NOW)
    assert now is not None
    listed = None if functions is None else list(functions)
    return alert_status(raw["name"], "alerts.yaml:3", in_file, raw, listed, Now(now, utc))


def alert(*checks: dict[str, Any], **over: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "state": "Not firing",
        "snoozed_until": None,
        "last_checked_at": None,
        "checks": list(checks),
        "checks_total": len(checks),
        "calculation_interval": "daily",
    }
    fields.update(over)
    return read_shape("0197-a", "Signups", **fields)


def test_since_is_the_oldest_check_of_the_run_in_the_current_state() -> None:
    checks = [
        check_row("Firing", "2025-06-04T01:00:00Z"),
        check_row("Firing", "2025-06-03T01:00:00Z"),
        check_row("Not firing", "2025-06-02T01:00:00Z"),
    ]
    status = status_of(alert(*checks, state="Firing"))
    assert status.since is not None
    assert (status.since.at, status.since.exact) == ("2025-06-03T01:00:00Z", True)
    assert status.conditions == ("firing",)


def test_when_every_check_read_is_in_the_state_it_began_at_least_that_early() -> None:
    checks = [check_row("Firing", "2025-06-04T01:00:00Z"), check_row("Firing", "2025-06-03T01:00Z")]
    found = since("Firing", checks)
    assert found is not None and (found.at, found.exact) == ("2025-06-03T01:00:00Z", False)


def test_no_since_when_the_newest_check_is_in_another_state() -> None:
    """A new threshold resets the state without a check row (alerts contract §1.3)."""
    assert since("Not firing", [check_row("Firing", "2025-06-04T01:00:00Z")]) is None
    assert since("Firing", []) is None


def test_checks_are_read_newest_first_whatever_their_order() -> None:
    checks = [
        check_row("Not firing", "2025-06-02T01:00:00Z"),
        check_row("Firing", "2025-06-04T01:00Z"),
    ]
    status = status_of(alert(*checks, state="Firing"))
    assert status.since is not None and status.since.exact
    assert status.last_check == "2025-06-04T01:00:00Z"


def test_the_last_error_is_one_shortened_line_with_its_code() -> None:
    long = "Query failed:\n" + "x" * 400
    errored = [check_row("Errored", "2025-06-04T01:00:00Z", error={"message": long})]
    status = status_of(alert(*errored, state="Errored"))
    assert status.error is not None and "\n" not in status.error
    assert len(status.error) == 160 and status.error.endswith("…")
    assert status.conditions == ("errored",)
    email = {"code": "email_unavailable", "message": "Email is not configured."}
    coded = status_of(
        alert(check_row("Errored", "2025-06-04T01:00Z", error=email), state="Errored")
    )
    assert (coded.error, coded.error_code) == ("Email is not configured.", "email_unavailable")


def test_an_errored_state_without_a_message_is_still_errored() -> None:
    status = status_of(alert(check_row("Errored", "2025-06-04T01:00:00Z"), state="Errored"))
    assert status.error is None and "errored" in status.conditions


def test_a_daily_alert_is_overdue_once_its_grace_has_passed() -> None:
    fresh = status_of(alert(last_checked_at="2025-06-03T07:00:00Z"))  # deadline 13:00
    assert fresh.overdue is None
    stale = status_of(alert(last_checked_at="2025-06-03T05:59:00Z"))
    assert stale.overdue is not None and stale.conditions == ("overdue",)
    assert (stale.overdue.reference, stale.overdue.since) == ("last check", "2025-06-03T05:59:00Z")
    assert (stale.overdue.expected, stale.overdue.deadline) == (
        "2025-06-04T05:59:00Z",
        "2025-06-04T11:59:00Z",
    )
    assert stale.overdue.grace_seconds == 6 * 3600


def test_the_newest_check_counts_when_last_checked_at_is_older() -> None:
    raw = alert(
        check_row("Not firing", "2025-06-04T01:00:00Z"), last_checked_at="2025-05-01T00:00Z"
    )
    assert status_of(raw).overdue is None


def test_an_alert_never_checked_is_overdue_from_its_creation() -> None:
    status = status_of(alert(created_at="2025-06-01T00:00:00Z"))
    assert status.overdue is not None and status.overdue.reference == "created"
    assert status_of(alert(created_at="2025-06-04T00:00:00Z")).overdue is None


def test_a_snoozed_alert_is_never_overdue_and_says_until_when() -> None:
    status = status_of(
        alert(state="Snoozed", snoozed_until="2025-07-01T00:00:00Z", last_checked_at="2025-05-01")
    )
    assert status.conditions == ("snoozed",)
    assert status.snoozed_until == "2025-07-01T00:00:00Z" and status.overdue is None


def test_after_a_snooze_ends_checks_are_expected_again() -> None:
    ended = alert(
        state="Snoozed", snoozed_until="2025-06-02T00:00:00Z", last_checked_at="2025-05-01T00:00Z"
    )
    status = status_of(ended)
    assert status.overdue is not None and status.overdue.reference == "snooze ended"
    assert status.conditions == ("overdue", "snoozed")
    quiet = status_of(alert(snoozed_until="2025-06-04T11:00:00Z", last_checked_at="2025-05-01"))
    assert quiet.overdue is None and quiet.snoozed_until is None  # resumed an hour ago


def test_disabled_in_posthog_while_the_file_says_enabled_is_drift() -> None:
    raw = alert(enabled=False, last_checked_at="2025-05-01T00:00:00Z")
    assert status_of(raw).conditions == ("disabled",)  # and never overdue
    assert status_of(raw, in_file=False).conditions == ()


def test_destinations_put_their_alert_in_their_condition() -> None:
    functions = [
        hog_function("f1", "0197-a", "A", status={"state": 3, "tokens": 0}),
        hog_function("f2", "0197-a", "B", status={"state": 2, "tokens": 10}),
        hog_function("f3", "0197-a", "C"),
    ]
    status = status_of(alert(last_checked_at="2025-06-04T01:00:00Z"), functions)
    assert status.conditions == ("destination-disabled", "destination-degraded")
    assert [d.health for d in status.destinations or ()] == ["disabled", "degraded", "healthy"]
    unread = status_of(alert(last_checked_at="2025-06-04T01:00:00Z"), None)
    assert unread.destinations is None and unread.conditions == ()


def test_an_alert_not_in_posthog_is_missing() -> None:
    status = missing_status("New", "alerts.yaml:9", True)
    assert (status.alert_id, status.conditions) == (None, ("missing",))
