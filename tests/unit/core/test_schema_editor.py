"""The alerts schema as editors use it (the YAML language server): hover text in markdown
for every property, a description for every enum value, snippets that insert a whole alert
of each kind; and the fast check still compiles it (the editor keywords are annotations)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from alertsync.core.fastcheck import ANNOTATIONS, compile_check
from alertsync.core.schema import inline_refs
from alertsync.edges.schemas import schema_text
from tests.builders import Runner

SCHEMA = json.loads(schema_text())
EDITOR_KEYWORDS = {
    "markdownDescription",
    "markdownEnumDescriptions",
    "enumDescriptions",
    "defaultSnippets",
}
PLACEHOLDER = re.compile(r"\$\{\d+:([^}]*)\}")


def nodes(
    node: Any, path: str = "#", in_condition: bool = False
) -> Iterator[tuple[str, Any, bool]]:
    """Every schema node, with its path and whether it sits in an `if` (a condition, not a
    property a person writes)."""
    if isinstance(node, dict):
        yield path, node, in_condition
        for key, value in node.items():
            if key != "defaultSnippets":
                yield from nodes(value, f"{path}/{key}", in_condition or key == "if")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from nodes(value, f"{path}/{i}", in_condition)


def properties() -> Iterator[tuple[str, dict[str, Any]]]:
    for path, node, in_condition in nodes(SCHEMA):
        if not in_condition:
            for name, prop in node.get("properties", {}).items():
                yield f"{path}/properties/{name}", prop


def test_every_property_has_markdown_hover_text() -> None:
    missing = [path for path, prop in properties() if not prop.get("markdownDescription")]
    assert missing == []
    assert sum(1 for _ in properties()) > 100


def test_every_enum_describes_each_value() -> None:
    enums = [(path, node) for path, node, _ in nodes(SCHEMA) if "enum" in node]
    assert len(enums) >= 20
    for path, node in enums:
        for key in ("markdownEnumDescriptions", "enumDescriptions"):
            words = node.get(key)
            assert isinstance(words, list) and len(words) == len(node["enum"]), (path, key)
            assert all(isinstance(w, str) and w.strip() for w in words), (path, key)
        assert not any("`" in w or "**" in w for w in node["enumDescriptions"]), path


def snippets() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = SCHEMA["properties"]["alerts"]["items"]["defaultSnippets"]
    return found


def filled(body: Any) -> Any:
    """A snippet as inserted when every placeholder keeps its default text."""
    return json.loads(PLACEHOLDER.sub(lambda m: m.group(1), json.dumps(body)))


def test_a_snippet_for_every_kind_of_alert() -> None:
    labels = " ".join(s["label"] for s in snippets())
    for kind in ("trends", "SQL", "funnel", "metrics", "anomaly detection"):
        assert kind in labels
    kinds = {filled(s["body"])["config"]["type"] for s in snippets()}
    assert kinds == {"TrendsAlertConfig", "HogQLAlertConfig", "FunnelsAlertConfig"} | {
        "MetricsAlertConfig"
    }
    assert any("detector_config" in s["body"] for s in snippets())
    assert all(s.get("markdownDescription") for s in snippets())


@pytest.mark.parametrize("snippet", snippets(), ids=lambda s: s["label"])
def test_each_snippet_validates_and_plans(
    snippet: dict[str, Any], run: Runner, tmp_path: Path
) -> None:
    file = tmp_path / "alerts.yaml"
    file.write_text(yaml.safe_dump({"alerts": [filled(snippet["body"])]}, sort_keys=False))
    checked = run("validate", str(file))
    assert checked.exit_code == 0, checked.output
    planned = run("plan", str(file), "--detailed-exitcode")
    assert planned.exit_code == 2, planned.output  # one create, against the built-in seed
    assert "Plan: 1 to create, 0 to update, 0 to delete." in planned.stdout


def test_the_fast_check_ignores_the_editor_keywords_and_still_decides() -> None:
    assert EDITOR_KEYWORDS <= ANNOTATIONS
    check = compile_check(inline_refs(SCHEMA))
    body = filled(snippets()[0]["body"])
    assert check({"alerts": [body]}) is True  # compiled: not "never sure"
    assert check({"alerts": [{**body, "unknown": 1}]}) is False
