"""Environments in the core: overrides merged over the alert, each environment's effective
documents, and problems addressed where they are written (inside the override that set
them)."""

from __future__ import annotations

from typing import Any

import pytest

from alertsync.core.environments import (
    alike,
    as_written,
    check_environments,
    effective_alert,
    effective_document,
    environment_problems,
    in_environments,
    merge,
    sharing,
)
from alertsync.core.schema import inline_refs
from alertsync.edges.files import load_text
from alertsync.edges.schemas import alerts_check, schema
from alertsync.model import Document, Position, Problem

KNOWN = ("production", "staging")

FILE = """\
alerts:
  - name: Signups dropped
    insight: Ab3dE9fG
    subscribed_users: [ada@example.com]
    threshold:
      name: Daily floor
      configuration: {type: absolute, bounds: {lower: 50}}
    condition: {type: absolute_value}
    config: {series_index: 0}
    overrides:
      staging:
        threshold:
          configuration: {bounds: {lower: 5}}
        subscribed_users: [grace@example.com]
  - name: Revenue
    insight: Kx7pQ2mN
    environments: [production]
    threshold: {configuration: {type: absolute, bounds: {upper: 9}}}
    condition: {type: absolute_value}
    config: {series_index: 1}
"""


def doc(text: str = FILE) -> Document:
    loaded = load_text("alerts.yaml", text)
    assert isinstance(loaded, Document), loaded
    return loaded


def check(text: str, known: tuple[str, ...] = KNOWN) -> list[Problem]:
    return check_environments([doc(text)], alerts_check(), known, known, "alertsync.toml")


def at(problem: Problem) -> str:
    return f"{problem.line}:{problem.col} {problem.path}"


# -- merging ------------------------------------------------------------------------------


def test_mappings_merge_key_by_key_and_everything_else_is_replaced() -> None:
    base = {"a": {"b": 1, "c": [1, 2]}, "d": True, "e": {"x": 1}}
    patch = {"a": {"c": [3]}, "d": False, "e": None, "f": "new"}
    assert merge(base, patch) == {"a": {"b": 1, "c": [3]}, "d": False, "e": None, "f": "new"}
    assert base == {"a": {"b": 1, "c": [1, 2]}, "d": True, "e": {"x": 1}}  # not changed


def test_a_mapping_of_another_type_replaces_the_alerts_whole() -> None:
    base = {"detector_config": {"type": "zscore", "threshold": 0.9, "window": 30}}
    other = {"detector_config": {"type": "iqr", "multiplier": 2}}
    same = {"detector_config": {"type": "zscore", "window": 60}}
    assert merge(base, other) == other
    assert merge(base, same) == {
        "detector_config": {"type": "zscore", "threshold": 0.9, "window": 60}
    }


def test_the_effective_alert_has_its_override_and_no_environment_keys() -> None:
    alert = doc().data["alerts"][0]
    staging = effective_alert(alert, "staging")
    assert staging["threshold"] == {
        "name": "Daily floor",
        "configuration": {"type": "absolute", "bounds": {"lower": 5}},
    }
    assert staging["subscribed_users"] == ["grace@example.com"]
    assert "overrides" not in staging and "environments" not in staging
    production = effective_alert(alert, "production")
    assert production["threshold"]["configuration"]["bounds"] == {"lower": 50}


def test_an_environment_has_only_the_alerts_that_exist_there() -> None:
    def names(document: Document) -> list[str]:
        return [a["name"] for a in document.data["alerts"]]

    assert names(effective_document(doc(), "production")) == ["Signups dropped", "Revenue"]
    assert names(effective_document(doc(), "staging")) == ["Signups dropped"]


# -- where a field of the effective document is written ------------------------------------


@pytest.mark.parametrize(
    ("environment", "path", "written", "line"),
    [
        # set by staging's override: inside it
        ("staging", ("alerts", 0, "threshold", "configuration", "bounds", "lower"),
         "alerts[0].overrides.staging.threshold.configuration.bounds.lower", 13),
        ("staging", ("alerts", 0, "subscribed_users", 0),
         "alerts[0].overrides.staging.subscribed_users[0]", 14),
        # merged mappings and fields the override leaves alone: in the alert
        ("staging", ("alerts", 0, "threshold", "name"), "alerts[0].threshold.name", 6),
        ("staging", ("alerts", 0, "threshold", "configuration", "type"),
         "alerts[0].threshold.configuration.type", 7),
        ("production", ("alerts", 0, "threshold", "configuration", "bounds", "lower"),
         "alerts[0].threshold.configuration.bounds.lower", 7),
        # the second alert of production is the file's second alert
        ("production", ("alerts", 1, "config", "series_index"),
         "alerts[1].config.series_index", 20),
    ],
)  # fmt: skip
def test_each_path_maps_to_where_it_is_written(
    environment: str, path: tuple[Any, ...], written: str, line: int
) -> None:
    effective = effective_document(doc(), environment)
    problem = effective.problem(path, "here")
    assert (problem.path, problem.line) == (written, line)


# -- checking -----------------------------------------------------------------------------


def test_a_valid_file_has_no_problem_in_any_environment() -> None:
    assert check(FILE) == []


def test_an_invalid_override_is_reported_inside_it() -> None:
    text = FILE.replace("{bounds: {lower: 5}}", '{bounds: {lower: "five"}}')
    (problem,) = check(text)
    assert at(problem) == ("13:43 alerts[0].overrides.staging.threshold.configuration.bounds.lower")
    assert "expected a number" in problem.message


def test_an_unknown_field_in_an_override_is_reported_at_its_key() -> None:
    text = FILE.replace(
        "        subscribed_users: [grace", "        colour: red\n        subscribed_users: [grace"
    )
    (problem,) = check(text)
    assert at(problem) == "14:9 alerts[0].overrides.staging.colour"
    assert "unknown field 'colour'" in problem.message


def test_a_rule_broken_only_in_one_environment_names_it() -> None:
    text = FILE.replace("{bounds: {lower: 5}}", "{bounds: {lower: 5, upper: 1}}")
    (problem,) = check(text)
    assert problem.path == "alerts[0].overrides.staging.threshold.configuration.bounds.lower"
    assert "greater than upper bound" in problem.message
    assert "staging" in problem.path  # the path says which environment: no suffix needed


def test_a_base_field_wrong_only_with_an_override_says_which_environment() -> None:
    (problem,) = check(FILE.replace("{bounds: {lower: 5}}", "{bounds: {upper: 9}}"))
    assert at(problem) == "7:55 alerts[0].threshold.configuration.bounds.lower"
    assert problem.message.endswith("(in environment staging)")


def test_an_override_for_an_environment_the_project_does_not_define() -> None:
    text = FILE.replace("      staging:\n", "      qa:\n")
    (problem,) = check(text)
    assert at(problem) == "11:7 alerts[0].overrides.qa"
    assert "no environment 'qa' in alertsync.toml (its environments: production, staging)" in (
        problem.message
    )


def test_an_environment_the_project_does_not_define() -> None:
    (problem,) = check(FILE.replace("environments: [production]", "environments: [prod]"))
    assert at(problem) == "17:20 alerts[1].environments[0]"


def test_an_override_where_the_alert_does_not_exist() -> None:
    text = FILE.replace(
        "    config: {series_index: 1}\n",
        "    config: {series_index: 1}\n    overrides: {staging: {enabled: false}}\n",
    )
    (problem,) = check(text)
    assert at(problem) == "21:17 alerts[1].overrides.staging"
    assert "where this alert does not exist" in problem.message


def test_names_are_unique_per_environment() -> None:
    twice = FILE.replace("name: Revenue", "name: Signups dropped")
    (problem,) = check(twice)  # both exist in production
    assert problem.path == "alerts[1].name"
    assert problem.message.endswith("(in environment production)")
    apart = twice.replace(
        "    insight: Ab3dE9fG\n", "    insight: Ab3dE9fG\n    environments: [staging]\n"
    )
    assert check(apart) == []  # one in each environment: fine


def test_without_a_project_file_environment_keys_are_problems() -> None:
    problems = list(environment_problems([doc()], None, "alertsync.toml"))
    assert [at(p) for p in problems] == ["10:5 alerts[0].overrides", "17:5 alerts[1].environments"]
    assert all("there is no alertsync.toml" in p.message for p in problems)


def test_naming_the_environment_of_a_problem() -> None:
    plain = Problem("a.yaml", 1, 1, "alerts[0].insight", "no insight")
    assert in_environments(plain, ["staging"]).message == "no insight (in environment staging)"
    assert in_environments(plain, ["a", "b"]).message == "no insight (in environments a, b)"
    inside = Problem("a.yaml", 1, 1, "alerts[0].overrides.staging.insight", "no insight")
    assert in_environments(inside, ["staging"]) == inside
    lookalike = Problem("a.yaml", 1, 1, "alerts[0].overrides.staging2.insight", "x")
    assert in_environments(lookalike, ["staging"]).message == "x (in environment staging)"


# -- the schema ---------------------------------------------------------------------------


def test_an_override_can_set_every_field_of_an_alert() -> None:
    """The override's fields follow the alert's: a field added to the alert (in
    schemas/alerts.schema.json) must be added to `override` too."""
    definitions = schema()["$defs"]
    fields = definitions["alert"]["properties"]
    override = definitions["override"]["properties"]
    assert set(override) == set(fields) - {"environments", "overrides"}
    inlined = inline_refs(schema())["properties"]["alerts"]["items"]["properties"]
    for name, rule in override.items():
        kinds = inlined[name].get("type")
        if "object" in (kinds if isinstance(kinds, list) else [kinds]):
            assert rule["type"] == kinds, name  # merged key by key: checked once merged
        else:
            assert rule["$ref"] == f"#/$defs/alert/properties/{name}", name


def test_files_with_overrides_take_the_fast_path() -> None:
    assert alerts_check()._certainly_valid(doc().data)


def test_environments_alike_are_checked_and_planned_once() -> None:
    plain = doc(
        FILE.replace("    overrides:\n      staging:\n", "    x_overrides:\n      staging:\n")
    )
    known = ("a", "b", "c")
    assert alike([plain], known) == [["a", "b", "c"]]
    assert alike([doc()], ("production", "staging", "qa")) == [["production"], ["staging"], ["qa"]]
    both = FILE.replace("environments: [production]", "environments: [production, qa]")
    assert alike([doc(both)], ("production", "staging", "qa")) == [
        ["production", "qa"],
        ["staging"],
    ]
    assert as_written([doc(both)], "production") and not as_written([doc(both)], "staging")


def test_a_problem_of_alike_environments_names_them_all() -> None:
    text = FILE.replace("name: Revenue", "name: Signups dropped").replace(
        "    environments: [production]\n", "    environments: [production, qa]\n"
    )
    problems = check_environments(
        [doc(text)],
        alerts_check(),
        ("production", "qa", "staging"),
        ("production", "qa", "staging"),
        "alertsync.toml",
    )
    (problem,) = problems
    assert problem.message.endswith("(in environments production, qa)")


def test_a_url_written_as_a_key_of_an_override_is_never_echoed() -> None:
    url = "https://hooks.example.com/T0P-SECRET"
    text = FILE.replace(
        "        subscribed_users: [grace", f"        {url}: 1\n        subscribed_users: [grace"
    )
    problems = check(text)
    assert problems and all(url not in str(p) for p in problems)
    assert any(p.path == "alerts[0].overrides.staging.(a URL)" for p in problems)


def scoped(prefix: str | None) -> list[Document]:
    head = f"scope: {{name_prefix: '{prefix}'}}\n" if prefix is not None else ""
    return [doc(head + "alerts: []\n")]


@pytest.mark.parametrize(
    ("first", "second", "clash"),
    [
        (None, None, True),
        (None, "[stg] ", True),  # one owns every alert, the other's too
        ("[a] ", "[a] [b] ", True),  # one prefix starts the other
        ("[prod] ", "[stg] ", False),  # disjoint scopes share a project
    ],
)
def test_two_environments_owning_the_same_alerts_of_one_project(
    first: str | None, second: str | None, clash: bool
) -> None:
    here, there = Position(3, 1), Position(8, 1)
    targets = {"prod": ("https://h", "1", here), "stg": ("https://h", "1", there)}
    found = sharing(targets, {"prod": scoped(first), "stg": scoped(second)}, "alertsync.toml")
    if not clash:
        assert found is None
        return
    assert found is not None
    assert str(found).startswith(
        "alertsync.toml:8:1: environments.stg: environments prod and stg both own the alerts "
        "of project 1 at https://h: each one's apply would undo the other's"
    )


def test_other_projects_hosts_or_current_never_clash() -> None:
    at = Position(1, 1)
    docs = {"a": scoped(None), "b": scoped(None)}
    assert sharing({"a": ("https://h", "1", at), "b": ("https://h", "2", at)}, docs, "f") is None
    assert sharing({"a": ("https://h", "1", at), "b": ("https://g", "1", at)}, docs, "f") is None
    current = ("https://h", "@current", at)  # each key's own project, perhaps another
    assert sharing({"a": current, "b": current}, docs, "f") is None
