"""Applying a plan with a fake writer: partial failures, what stops the run, interrupts."""

from __future__ import annotations

from typing import Any

from alertsync.apply import apply_plan
from alertsync.core.plan import make_plan
from alertsync.errors import (
    Abandoned,
    ApiError,
    ApiErrorBody,
    AuthenticationFailed,
    NetworkError,
    RetriesExhausted,
)
from alertsync.model import DestChange, Guards, Labels, Plan, Result, Written
from tests.builders import live, read_shape, spec


def a_plan() -> Plan:
    """create a-new, create b-new; update keep; delete c-old, z-old."""
    desired = {"a-new": spec("a-new"), "b-new": spec("b-new"), "keep": spec("keep", enabled=False)}
    current = live(read_shape("1", "keep"), read_shape("2", "z-old"), read_shape("3", "c-old"))
    return make_plan(desired, current, None, Guards())


def refusal(status: int = 400, detail: str = "series_index 1 is out of range") -> ApiError:
    body = ApiErrorBody("validation_error", "invalid_input", detail, None)
    return ApiError(status, body, "creating alert")


class FakeWriter:
    def __init__(self, failures: dict[str, BaseException] | None = None) -> None:
        self.failures = failures or {}
        self.calls: list[str] = []

    def _do(self, name: str, alert_id: str | None) -> Written:
        self.calls.append(name)
        failure = self.failures.get(name)
        if failure is not None:
            raise failure
        return Written(alert_id or f"new-{name}")

    def create_alert(self, body: dict[str, Any], name: str) -> Written:
        return self._do(name, None)

    def update_alert(self, alert_id: str, body: dict[str, Any], name: str) -> Written:
        return self._do(name, alert_id)

    def delete_alert(self, alert_id: str, name: str) -> Written:
        return self._do(name, alert_id)

    def write_destination(
        self, change: DestChange, alert_id: str, alert_name: str, labels: Labels
    ) -> Written:
        key = f"{alert_name}/{change.action} {change.kind}"
        return self._do(key, f"fn-{key}@{alert_id}")


def outcomes(results: list[Result]) -> list[tuple[str, str]]:
    return [(r.change.name, r.outcome) for r in results]


def test_everything_done() -> None:
    writer = FakeWriter()
    results = apply_plan(a_plan(), writer)
    assert writer.calls == ["a-new", "b-new", "keep", "c-old", "z-old"]
    assert all(r.outcome == "done" for r in results)


def test_a_failed_delete_does_not_stop_the_other_deletes() -> None:
    writer = FakeWriter({"c-old": refusal(404, "Not found.")})
    results = apply_plan(a_plan(), writer)
    assert outcomes(results)[-2:] == [("c-old", "failed"), ("z-old", "done")]
    assert "Not found." in results[-2].message


def test_a_failed_create_lets_the_other_creates_and_updates_run_but_holds_deletes() -> None:
    writer = FakeWriter({"a-new": refusal()})
    results = apply_plan(a_plan(), writer)
    assert outcomes(results) == [
        ("a-new", "failed"),
        ("b-new", "done"),
        ("keep", "done"),
        ("c-old", "skipped"),
        ("z-old", "skipped"),
    ]
    assert "series_index 1 is out of range" in results[0].message
    assert "a create or update failed" in results[3].message
    assert writer.calls == ["a-new", "b-new", "keep"]


def test_a_refused_key_stops_everything() -> None:
    body = ApiErrorBody("authentication_error", "authentication_failed", "invalid", None)
    writer = FakeWriter({"a-new": AuthenticationFailed(401, body, "creating alert")})
    results = apply_plan(a_plan(), writer)
    assert [r.outcome for r in results] == ["failed"] + ["skipped"] * 4
    assert "PostHog refused the API key" in results[1].message
    assert writer.calls == ["a-new"]


def test_a_spent_retry_budget_stops_everything() -> None:
    exhausted = RetriesExhausted(NetworkError("creating alert 'b-new': 503"), "gave up")
    writer = FakeWriter({"b-new": exhausted})
    results = apply_plan(a_plan(), writer)
    assert outcomes(results) == [
        ("a-new", "done"),
        ("b-new", "failed"),
        ("keep", "skipped"),
        ("c-old", "skipped"),
        ("z-old", "skipped"),
    ]
    assert "PostHog kept failing" in results[2].message


def test_a_recovered_create_is_done_with_its_note() -> None:
    class Recovering(FakeWriter):
        def create_alert(self, body: dict[str, Any], name: str) -> Written:
            return Written("r1", "recovered after a lost response: PostHog had made it")

    results = apply_plan(a_plan(), Recovering())
    assert results[0].outcome == "done" and results[0].alert_id == "r1"
    assert results[0].message.startswith("recovered after a lost response")


def test_a_stop_request_lets_the_current_change_finish_and_skips_the_rest() -> None:
    reason: list[str | None] = [None]

    class Stopping(FakeWriter):
        def create_alert(self, body: dict[str, Any], name: str) -> Written:
            reason[0] = "interrupted by SIGTERM"  # arrives while this request is in flight
            return super().create_alert(body, name)

    writer = Stopping()
    results = apply_plan(a_plan(), writer, stop=lambda: reason[0])
    assert outcomes(results) == [
        ("a-new", "done"),
        ("b-new", "skipped"),
        ("keep", "skipped"),
        ("c-old", "skipped"),
        ("z-old", "skipped"),
    ]
    assert results[1].message == "not attempted: interrupted by SIGTERM"
    assert writer.calls == ["a-new"]


def test_a_second_signal_abandons_the_request_in_flight() -> None:
    writer = FakeWriter({"b-new": KeyboardInterrupt()})
    results = apply_plan(a_plan(), writer, stop=lambda: None)
    assert outcomes(results) == [
        ("a-new", "done"),
        ("b-new", "failed"),
        ("keep", "skipped"),
        ("c-old", "skipped"),
        ("z-old", "skipped"),
    ]
    assert "may or may not have made this change" in results[1].message


def test_a_request_abandoned_before_it_was_sent_is_skipped() -> None:
    writer = FakeWriter({"a-new": Abandoned("creating alert 'a-new': not sent", sent=False)})
    results = apply_plan(a_plan(), writer)
    assert results[0].outcome == "skipped"
