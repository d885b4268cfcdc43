"""Destinations in the pure core: reading hog functions, pairing desired with live, bodies."""

from __future__ import annotations

from typing import Any

import pytest

from alertsync.core.dest_body import create_body, update_body
from alertsync.core.dest_kinds import default_inputs
from alertsync.core.dest_plan import destination_changes
from alertsync.core.dest_spec import (
    alert_id_of,
    fingerprint,
    live_destination,
    live_destinations,
    url_host,
    url_value,
)
from alertsync.model import Dest, Labels, LiveDest
from tests.builders import alert_filters, destination_body

HOOK = "https://hooks.example.com/posthog/abc123"


def function(fid: str, alert_id: str, kind: str = "slack", **over: Any) -> dict[str, Any]:
    """A hog function as PostHog lists it (template object, inputs with values)."""
    body = destination_body(alert_id, kind, **over)
    template = body.pop("template_id")
    return {**body, "id": fid, "template": {"id": template}, "created_at": f"2026-01-0{fid[-1]}"}


def slack(channel: str = "C0123456789", **over: Any) -> Dest:
    return {"type": "slack", "workspace": 42, "channel": channel, **over}


def webhook(url: str = HOOK, **over: Any) -> Dest:
    return {"type": "webhook", "url": url_value(url), "url_env": "HOOK", **over}


def test_a_url_is_held_as_its_host_and_fingerprint_only() -> None:
    assert url_value(HOOK) == {"host": "hooks.example.com", "sha256": fingerprint(HOOK)}
    assert url_host("https://user:pw@Hooks.Example.com:8443/x?y#z") == "hooks.example.com:8443"
    spec = live_destination(function("f1", "a1", "webhook"))
    assert "abc123" not in repr(spec)


@pytest.mark.parametrize(
    ("change", "found"),
    [
        ({}, "a1"),
        ({"type": "destination"}, None),
        ({"filters": {"events": [{"id": "$pageview"}], "properties": []}}, None),
        ({"filters": {**alert_filters("a1"), "source": "internal-events"}}, "a1"),
        ({"filters": {"events": [{"id": "$insight_alert_firing"}]}}, None),
    ],
)
def test_only_insight_alert_destinations_belong_to_an_alert(
    change: dict[str, Any], found: str | None
) -> None:
    assert alert_id_of({**function("f1", "a1"), **change}) == found


def test_live_destinations_are_grouped_by_alert_oldest_first() -> None:
    grouped = live_destinations(
        [function("f2", "a1"), function("f1", "a1", "webhook"), function("f3", "a2")]
    )
    assert [d.id for d in grouped["a1"]] == ["f1", "f2"]
    assert grouped["a1"][1].spec["channel"] == "C0123456789"
    assert grouped["a1"][1].spec["text"] == "Alert triggered: {event.properties.insight_name}"


def have(*specs: Dest) -> list[LiveDest]:
    return [LiveDest(f"f{i}", "a1", {**s, "enabled": True}) for i, s in enumerate(specs, 1)]


def test_the_same_destination_is_no_change() -> None:
    assert destination_changes([slack(), webhook()], have(webhook(), slack())) == []


def test_a_new_channel_is_one_change_not_a_new_destination() -> None:
    changes = destination_changes([slack("C0ENGALERTS")], have(slack()))
    assert [(c.action, c.dest_id) for c in changes] == [("update", "f1")]
    assert [(d.path, d.old, d.new) for d in changes[0].details] == [
        ("channel", "C0123456789", "C0ENGALERTS")
    ]


def test_a_removed_destination_is_one_delete_and_a_new_kind_is_a_replacement() -> None:
    changes = destination_changes([{"type": "discord", "url": url_value(HOOK)}], have(webhook()))
    assert [(c.action, c.kind) for c in changes] == [("create", "discord"), ("delete", "webhook")]


def test_two_identical_live_destinations_keep_one() -> None:
    changes = destination_changes([slack()], have(slack(), slack()))
    assert [(c.action, c.dest_id) for c in changes] == [("delete", "f2")]


def test_message_inputs_are_compared_only_when_the_file_sets_them() -> None:
    live = have(slack(text="edited in PostHog"))
    assert destination_changes([slack()], live) == []
    changes = destination_changes([slack(text="ours")], live)
    assert [(d.path, d.old, d.new) for d in changes[0].details] == [
        ("text", "edited in PostHog", "ours")
    ]


def test_enabled_is_owned_only_when_the_file_says() -> None:
    off = [LiveDest("f1", "a1", {**slack(), "enabled": False})]
    assert destination_changes([slack()], off) == []
    (change,) = destination_changes([slack(enabled=True)], off)
    assert [(d.path, d.old, d.new) for d in change.details] == [("enabled", False, True)]


def test_the_create_body_is_what_the_alert_editor_sends() -> None:
    labels = Labels(channels={"C0123456789": "growth-alerts"})
    body = create_body(slack(), "a1", "Signups", None, labels)
    assert body["type"] == "internal_destination"
    assert body["template_id"] == "template-slack"
    assert body["name"] == "Signups: Slack #growth-alerts"
    assert body["filters"] == alert_filters("a1")
    assert body["enabled"] is True and body["masking"] is None
    assert body["inputs"]["slack_workspace"] == {"value": 42}
    assert body["inputs"]["blocks"] == {"value": default_inputs("slack")["blocks"]}
    hook = create_body(webhook(method="PUT"), "a1", "Signups", HOOK, Labels())
    assert hook["inputs"]["url"] == {"value": HOOK}
    assert hook["inputs"]["method"] == {"value": "PUT"}
    assert hook["name"] == "Signups: Webhook hooks.example.com"
    with pytest.raises(ValueError, match="created with its URL"):
        create_body(webhook(), "a1", "Signups", None, Labels())


def test_an_update_sends_every_live_input_back_with_the_files_over_them() -> None:
    live_inputs = {
        "slack_workspace": {"value": 42, "bytecode": ["_H"]},
        "channel": {"value": "C0123456789"},
        "text": {"value": "kept"},
        "token": {"secret": True},
    }
    body = update_body(live_inputs, slack(), slack("C0ENGALERTS"), "Signups", None, Labels())
    assert body["inputs"] == {
        "slack_workspace": {"value": 42},
        "channel": {"value": "C0ENGALERTS"},
        "text": {"value": "kept"},
        "token": {"secret": True},
    }
    assert body["name"] == "Signups: Slack #C0ENGALERTS"
    same_url = update_body(
        {"url": {"value": HOOK}}, webhook(), webhook(method="GET"), "S", None, Labels()
    )
    assert same_url["inputs"]["url"] == {"value": HOOK} and "name" not in same_url


def test_of_two_copies_the_enabled_one_is_kept() -> None:
    copies = [
        LiveDest("f1", "a1", {**slack(), "enabled": False}),
        LiveDest("f2", "a1", {**slack(), "enabled": True}),
    ]
    changes = destination_changes([slack()], copies)
    assert [(c.action, c.dest_id) for c in changes] == [("delete", "f1")]


def test_of_two_copies_the_one_already_as_the_file_wants_is_kept() -> None:
    copies = [LiveDest("f1", "a1", {**slack(text="old")}), LiveDest("f2", "a1", slack(text="x"))]
    changes = destination_changes([slack(text="x")], copies)
    assert [(c.action, c.dest_id) for c in changes] == [("delete", "f1")]


def test_true_is_not_1_at_any_depth() -> None:
    live = have(webhook(body={"flag": 1, "items": [0]}))
    (change,) = destination_changes([webhook(body={"flag": True, "items": [False]})], live)
    assert [d.path for d in change.details] == ["body"]


def test_a_backslash_ends_the_host_as_in_urls_browsers_parse() -> None:
    assert url_host("https://hooks.example.com\\SECRET/x") == "hooks.example.com"


def test_surrounding_whitespace_is_not_part_of_a_url() -> None:
    assert url_value(HOOK + " \n") == url_value(HOOK)


def test_a_filter_that_excludes_the_alert_does_not_tie_a_function_to_it() -> None:
    excluding = function("f1", "a1")
    excluding["filters"]["properties"][0]["operator"] = "is_not"
    assert alert_id_of(excluding) is None


@pytest.mark.parametrize(("written", "expected"), [("42", [42]), (42, [42]), ("hedgebox", [42])])
def test_a_workspace_by_id_quoted_or_not_or_by_name(written: Any, expected: list[int]) -> None:
    from alertsync.core.dest_resolve import SlackWorkspace, workspace_for

    spaces = [SlackWorkspace(42, "Hedgebox"), SlackWorkspace(43, "Acquired Co")]
    assert [w.id for w in workspace_for(written, spaces)] == expected


def test_names_from_slack_cannot_forge_text_plan_lines() -> None:
    from alertsync.core.dest_plan import build_dest_change
    from alertsync.render.dest_words import headline

    labels = Labels(workspaces={42: "Acme\n  + create 'forged'"}, channels={"C0123456789": "x\ry"})
    line = headline(build_dest_change("create", None, None, slack()), labels)
    assert "\n" not in line and "\r" not in line
    assert line == "+ notify Slack #x\\ry (Acme\\n  + create 'forged')"
