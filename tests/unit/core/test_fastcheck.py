"""The fast check never says "valid" where jsonschema finds a problem."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alertsync.core.fastcheck import compile_check
from alertsync.core.schema import inline_refs
from alertsync.edges.files import load_bytes
from alertsync.edges.schemas import alerts_check, schema_text
from alertsync.model import Document

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = inline_refs(json.loads(schema_text()))
CHECK = compile_check(SCHEMA)
CASES = [*sorted((ROOT / "tests" / "cases").rglob("*.yaml")), ROOT / "examples" / "alerts.yaml"]


def jsonschema_valid(data: Any) -> bool:
    return not any(True for _ in alerts_check().validator().iter_errors(data))


def loaded(path: Path) -> Any:
    """The file's data as alertsync reads it (YAML 1.2 scalars), or None."""
    doc = load_bytes(path.name, path.read_bytes())
    return doc.data if isinstance(doc, Document) else None


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_agrees_with_jsonschema_on_every_case_file(path: Path) -> None:
    data = loaded(path)
    if CHECK(data):
        assert jsonschema_valid(data)
    if path.parent.name == "valid" or path.name == "alerts.yaml":
        assert CHECK(data), "a valid file should take the fast path"


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 300),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "",
            "x",
            "absolute",
            "percentage",
            "daily",
            "every_15_minutes",
            "TrendsAlertConfig",
            "a@b.co",
            "Ab3dE9fG",
            "123",
            "absolute_value",
            "relative_increase",
            "x" * 256,
        ]
    ),
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += paths(value, (*prefix, index))
    return out


def mutate(data: Any, rng: random.Random, value: Any, action: str) -> Any:
    data = copy.deepcopy(data)
    target = rng.choice(paths(data)[1:])
    parent = data
    for part in target[:-1]:
        parent = parent[part]
    last = target[-1]
    if action == "replace":
        parent[last] = value
    elif action == "delete":
        del parent[last]
    elif action == "add" and isinstance(parent, dict):
        parent[f"extra_{rng.randrange(3)}"] = value
    elif action == "add" and isinstance(parent, list):
        parent.append(value)
    return data


BASE = loaded(ROOT / "examples" / "alerts.yaml")


@settings(max_examples=400, deadline=None)
@given(
    st.integers(0, 2**32),
    SCALARS | st.lists(SCALARS, max_size=3) | st.dictionaries(st.text(max_size=3), SCALARS),
    st.sampled_from(["replace", "delete", "add"]),
)
def test_never_valid_where_jsonschema_is_not(seed: int, value: Any, action: str) -> None:
    data = mutate(BASE, random.Random(seed), value, action)
    if CHECK(data):
        assert jsonschema_valid(data), data


def test_unknown_keywords_make_it_never_sure() -> None:
    assert compile_check({"type": "object", "minProperties": 1})({"a": 1}) is False
    assert compile_check({"oneOf": [{"type": "string"}]})("x") is False


def test_additional_properties_without_properties() -> None:
    check = compile_check({"type": "object", "additionalProperties": {"type": "string"}})
    assert check({"a": "x"}) and not check({"a": 1})
    assert compile_check({"type": "object", "additionalProperties": False})({}) is True
    assert compile_check({"type": "object", "additionalProperties": False})({"a": 1}) is False
