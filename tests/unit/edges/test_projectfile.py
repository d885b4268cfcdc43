"""alertsync.toml: the environments, found from the current folder, every problem at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from alertsync.edges.projectfile import (
    Environment,
    Project,
    find_project_file,
    load_project,
    parse_project,
)
from alertsync.errors import ConfigError, InputError
from alertsync.model import Problem

GOOD = """\
paths = ["alerts/"]

[environments.staging]
host = "https://eu.posthog.com"
project = 12345
key_env = "POSTHOG_KEY_STAGING"

[environments.production]
host = "https://us.posthog.com/"
project = "678"
key_env = "POSTHOG_KEY_PRODUCTION"
paths = ["alerts/", "production-only/"]
"""


def parse(text: str, folder: str = ".") -> Project | list[Problem]:
    return parse_project(text.encode(), "alertsync.toml", folder)


def problems(text: str) -> list[str]:
    found = parse(text)
    assert isinstance(found, list), found
    return [str(p) for p in found]


def test_environments_with_their_targets_keys_and_files() -> None:
    project = parse(GOOD, "repo")
    assert isinstance(project, Project)
    assert project.names == ("production", "staging")  # sorted
    assert project.environments["staging"] == Environment(
        "staging",
        "https://eu.posthog.com",
        "12345",
        "POSTHOG_KEY_STAGING",
        ("repo/alerts/",),
    )
    production = project.environments["production"]
    assert production.host == "https://us.posthog.com"
    assert production.paths == ("repo/alerts/", "repo/production-only/")


def test_shared_defaults_at_the_top() -> None:
    project = parse(
        'paths = "alerts"\nhost = "https://eu.posthog.com"\n[environments.a]\nproject = 1\n'
    )
    assert isinstance(project, Project)
    assert project.environments["a"] == Environment(
        "a", "https://eu.posthog.com", "1", "POSTHOG_PERSONAL_API_KEY", ("alerts",)
    )


def test_a_toml_syntax_error_is_at_its_line_and_column() -> None:
    assert problems('paths = ["a"]\nhost = \n') == [
        "alertsync.toml:2:8: invalid TOML: Invalid value"
    ]


def test_every_problem_at_the_line_of_its_key() -> None:
    text = """\
paths = ["alerts/"]
api_key = "phx_do_not_put_me_here"

[environments.staging]
host = "http://eu.posthog.com"
project = "abc"
colour = "blue"

[environments.prod]
key_env = "POSTHOG KEY"

[environments."bad name"]
project = 3
"""
    assert problems(text) == [
        "alertsync.toml:2:1: api_key: unknown key 'api_key' (allowed: paths, host, key_env, "
        "environments); keys never go in this file: name the environment variable that holds "
        "it with key_env",
        "alertsync.toml:5:1: environments.staging.host: host 'http://eu.posthog.com' uses plain "
        "http: the API key would cross the network unencrypted. Use https (plain http is "
        "allowed only for loopback hosts such as the emulator).",
        "alertsync.toml:6:1: environments.staging.project: project 'abc' must be a numeric "
        "project id or @current",
        "alertsync.toml:7:1: environments.staging.colour: unknown key 'colour' (allowed: host, "
        "project, key_env, paths)",
        "alertsync.toml:9:1: environments.prod: environment 'prod' needs `project` (its project "
        "id)",
        "alertsync.toml:10:1: environments.prod.key_env: key_env names the environment variable "
        "that holds the API key (such as POSTHOG_PERSONAL_API_KEY); this value is not a variable "
        "name (not shown here, in case it is a key)",
        "alertsync.toml:12:1: environments.bad name: environment name 'bad name': use letters, "
        "digits, '-' and '_' (at most 64, starting with a letter or digit)",
    ]


def test_a_key_written_as_key_env_is_never_echoed() -> None:
    secret = "phx_0123456789abcdef0123456789abcdef"
    found = problems(f'paths = ["a"]\n[environments.a]\nproject = 1\nkey_env = "{secret}"\n')
    assert len(found) == 1 and "key_env" in found[0]
    assert secret not in found[0]


def test_no_environments_and_no_paths() -> None:
    assert problems("") == [
        "alertsync.toml:1:1: environments: no environments: add at least one "
        "[environments.NAME] table with its host, project and key_env"
    ]
    assert problems("[environments.a]\nproject = 1\n") == [
        "alertsync.toml:1:1: environments.a: environment 'a' has no alert files: give it "
        "`paths`, or set `paths` at the top of the file for every environment"
    ]


def test_inline_tables_and_dotted_keys_are_found_too() -> None:
    assert problems('paths = ["a"]\n[environments]\nqa = {project = 1, hots = "x"}\n') == [
        "alertsync.toml:3:1: environments.qa.hots: unknown key 'hots' (allowed: host, "
        "project, key_env, paths)"
    ]
    assert problems('paths = ["a"]\nenvironments.qa.project = true\n') == [
        "alertsync.toml:2:1: environments.qa.project: expected a project id, got a boolean"
    ]


def test_not_utf8() -> None:
    found = parse_project(b"paths = '\xff'\n", "alertsync.toml")
    assert [str(p) for p in found] == ["alertsync.toml:1:1: not valid UTF-8 text"]  # type: ignore[union-attr]


# -- finding it ---------------------------------------------------------------------------


def test_found_in_this_folder_or_above_up_to_the_repository_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    deep = repo / "alerts" / "team"
    deep.mkdir(parents=True)
    (repo / ".git").mkdir()
    assert find_project_file(deep) is None
    (tmp_path / "alertsync.toml").write_text(GOOD)  # above the repository: never used
    assert find_project_file(deep) is None
    (repo / "alertsync.toml").write_text(GOOD)
    assert find_project_file(deep) == (repo / "alertsync.toml").resolve()
    (deep / "alertsync.toml").write_text(GOOD)
    assert find_project_file(deep) == (deep / "alertsync.toml").resolve()


def test_loading_names_paths_from_where_alertsync_runs(tmp_path: Path) -> None:
    (tmp_path / "alertsync.toml").write_text(GOOD)
    (tmp_path / "alerts").mkdir()
    project = load_project(tmp_path / "alertsync.toml", cwd=tmp_path / "alerts")
    assert project.file == "../alertsync.toml"
    assert project.environments["staging"].paths == ("../alerts/",)
    with pytest.raises(ConfigError, match=r"no environment 'qa' in \.\./alertsync\.toml"):
        project.environment("qa")


def test_loading_a_file_with_problems_raises_them_all(tmp_path: Path) -> None:
    (tmp_path / "alertsync.toml").write_text("nope = 1\n")
    with pytest.raises(InputError) as raised:
        load_project(tmp_path / "alertsync.toml", cwd=tmp_path)
    assert len(raised.value.problems) == 2


@pytest.mark.parametrize(
    "variable",
    [
        "GITHUB_TOKEN",
        "CI_JOB_TOKEN",
        "GITLAB_API_TOKEN",
        "ACTIONS_RUNTIME_TOKEN",
        "RUNNER_TEMP",
        "ALERTSYNC_CONFIG",
        "POSTHOG_HOST",
        "posthog_project_id",
        "HTTPS_PROXY",
        "no_proxy",
    ],
)
def test_key_env_cannot_name_a_variable_of_the_ci_or_of_alertsync(variable: str) -> None:
    # alertsync sends key_env's value as the key to the host the same file names: a pull
    # request must not be able to send the CI's token (or anything else) there
    found = problems(
        f'paths = ["a"]\n[environments.a]\nhost = "https://evil.example"\nproject = 1\n'
        f'key_env = "{variable}"\n'
    )
    assert len(found) == 1, found
    assert found[0].startswith(
        f"alertsync.toml:5:1: environments.a.key_env: key_env names ${variable}"
    )
    assert "not a PostHog key" in found[0]
    top = problems(f'key_env = "{variable}"\npaths = ["a"]\n[environments.a]\nproject = 1\n')
    assert len(top) == 1 and top[0].startswith("alertsync.toml:1:1: key_env: key_env names")


def test_key_env_may_name_any_variable_of_a_posthog_key() -> None:
    for variable in ("POSTHOG_PERSONAL_API_KEY", "POSTHOG_KEY_STAGING", "PH_PROD", "MY_CIRCLE_KEY"):
        project = parse(f'paths = ["a"]\n[environments.a]\nproject = 1\nkey_env = "{variable}"\n')
        assert isinstance(project, Project), project
        assert project.environments["a"].key_env == variable


def test_environment_names_that_differ_only_in_case() -> None:
    found = problems(
        'paths = ["a"]\n[environments.prod]\nproject = 1\n[environments.Prod]\nproject = 2\n'
    )
    assert found == [
        "alertsync.toml:2:1: environments.prod: environment names 'prod' and 'Prod' differ only "
        "in case: CI environments, artifacts and file systems may take them for one; rename one",
        "alertsync.toml:4:1: environments.Prod: environment names 'Prod' and 'prod' differ only "
        "in case: CI environments, artifacts and file systems may take them for one; rename one",
    ]


def test_paths_stay_inside_the_repository(tmp_path: Path) -> None:
    # a file outside the repository (a credential, /etc/passwd) would be read, and a line of
    # it echoed in a problem: a pull request could publish it in its plan comment
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "ops").mkdir()
    (repo / "alerts").mkdir()
    (tmp_path / "outside").mkdir()
    (repo / "alerts" / "elsewhere").symlink_to(tmp_path / "outside")
    config = repo / "ops" / "alertsync.toml"
    config.write_text(
        'paths = ["../alerts/", "/etc/passwd"]\n'
        "[environments.a]\nproject = 1\n"
        '[environments.b]\nproject = 2\npaths = ["../../outside/", "../alerts/elsewhere/x.yaml"]\n'
        '[environments.c]\nproject = 3\npaths = ["../alerts/team/"]\n'
    )
    with pytest.raises(InputError) as raised:
        load_project(config, cwd=repo)
    shown = [str(p) for p in raised.value.problems]
    message = (
        "is outside the repository (links followed): the alert files of alertsync.toml are in "
        "its repository, relative to it"
    )
    assert f"ops/alertsync.toml:1:1: paths: '/etc/passwd' {message}" in shown
    assert f"ops/alertsync.toml:6:1: environments.b.paths: '../../outside/' {message}" in shown
    assert any("'../alerts/elsewhere/x.yaml' is outside" in line for line in shown)
    assert not any("../alerts/team/" in line or "'../alerts/'" in line for line in shown)
    config.write_text('paths = ["../alerts/", "../README.md"]\n[environments.a]\nproject = 1\n')
    project = load_project(config, cwd=repo)  # anywhere in the repository
    assert project.environments["a"].paths == ("ops/../alerts/", "ops/../README.md")


def test_without_a_repository_paths_stay_in_the_folder_of_the_file(tmp_path: Path) -> None:
    (tmp_path / "alertsync.toml").write_text('paths = ["../x/"]\n[environments.a]\nproject = 1\n')
    with pytest.raises(InputError) as raised:
        load_project(tmp_path / "alertsync.toml", cwd=tmp_path)
    assert "'../x/' is outside the repository" in str(raised.value.problems[0])


def test_a_file_above_the_current_folder_must_be_the_users_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # outside a repository the search climbs to shared folders (/tmp), where another user may
    # leave an alertsync.toml that sends the key to their host
    deep = tmp_path / "work"
    deep.mkdir()
    (tmp_path / "alertsync.toml").write_text(GOOD)
    assert find_project_file(deep) == (tmp_path / "alertsync.toml").resolve()
    monkeypatch.setattr("os.geteuid", lambda: 4242, raising=False)
    with pytest.raises(ConfigError, match="belongs to another user, so it is not used"):
        find_project_file(deep)
    (deep / "alertsync.toml").write_text(GOOD)  # in the folder alertsync runs in: chosen
    assert find_project_file(deep) == (deep / "alertsync.toml").resolve()
