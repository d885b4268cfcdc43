import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alertsync.edges.files import discover, load_bytes, load_file, load_text
from alertsync.model import Document, Position, Problem


def test_positions_of_keys_and_values() -> None:
    doc = load_text("f.yaml", "alerts:\n  - name: Signups\n    enabled: true\n")
    assert isinstance(doc, Document)
    assert doc.position(("alerts", 0, "name")) == Position(2, 11)
    assert doc.position(("alerts", 0, "enabled"), key=True) == Position(3, 5)
    assert doc.position(("alerts", 7)) == Position(2, 3)  # no such item: its parent


def test_missing_path_falls_back_to_nearest_ancestor() -> None:
    doc = load_text("f.yaml", "alerts:\n  - name: x\n")
    assert isinstance(doc, Document)
    pos = doc.position(("alerts", 0, "threshold", "configuration"))
    assert (pos.line, pos.col) == (2, 5)


def test_duplicate_key_is_a_problem_at_the_second_key() -> None:
    doc = load_text("f.yaml", "alerts:\n  - name: a\n    name: b\n")
    assert isinstance(doc, Document)
    (problem,) = doc.problems
    assert (problem.line, problem.col) == (3, 5)
    assert "duplicate key 'name'" in problem.message
    assert "line 2" in problem.message


def test_unsafe_tags_are_refused() -> None:
    doc = load_text("f.yaml", 'x: !!python/object/apply:os.system ["echo hi"]\n')
    assert isinstance(doc, Document)
    (problem,) = doc.problems
    assert "not allowed" in problem.message


def test_exponential_aliases_are_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    problem = load_text("bomb.yaml", "\n".join(lines) + "\n")
    assert isinstance(problem, Problem)
    assert "aliases" in problem.message


@pytest.mark.parametrize("depth", [5_000, 200_000])
def test_deep_nesting_is_refused_without_crashing(depth: int) -> None:
    problem = load_text("deep.yaml", "x: " + "[" * depth + "]" * depth + "\n")
    assert isinstance(problem, Problem)
    assert "nesting is too deep" in problem.message


def test_deep_nesting_through_aliases_is_refused() -> None:
    text = "a: &a " + "[" * 100 + "]" * 100 + "\nb: *a\n"
    problem = load_text("deep.yaml", text)
    assert isinstance(problem, Problem)
    assert "nesting is deeper than 64 levels" in problem.message


def test_merge_keys_are_plain_data() -> None:
    doc = load_text("f.yaml", "d: &d {a: 1}\nx:\n  <<: *d\n  b: 2\n")
    assert isinstance(doc, Document)
    assert doc.data["x"] == {"a": 1, "b": 2}


def test_an_alias_to_its_own_anchor_is_refused() -> None:
    problem = load_text("f.yaml", "a: &a [*a]\n")
    assert isinstance(problem, Problem) and "own anchor" in problem.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("true: 1\n", "is not a string"),
        ("alerts:\n  - 1: x\n", "is not a string"),
        ("? [a]\n: 1\n", "must be plain text, not a mapping or a list"),
    ],
)
def test_keys_must_be_strings(text: str, message: str) -> None:
    doc = load_text("f.yaml", text)
    assert isinstance(doc, Document) and message in doc.problems[0].message
    assert "Node" not in doc.problems[0].message  # never an internal object


def test_non_utf8_points_at_the_bad_byte() -> None:
    problem = load_bytes("f.yaml", b"alerts:\n  - name: caf\xe9\n")
    assert isinstance(problem, Problem)
    assert (problem.line, problem.col) == (2, 14)
    assert "UTF-8" in problem.message


def test_empty_document() -> None:
    problem = load_text("f.yaml", "# nothing here\n")
    assert isinstance(problem, Problem)
    assert "empty" in problem.message


def test_discover_directories_sorted_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "b.yml").write_text("alerts: []\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.yaml").write_text("alerts: []\n")
    (tmp_path / "notes.txt").write_text("x")
    files, problems = discover([str(tmp_path), str(tmp_path / "missing.yaml")])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["b.yml", "sub/a.yaml"]
    assert len(problems) == 1 and "no such file" in problems[0].message


@pytest.mark.parametrize("text", ["alerts: [1, 2", "alerts:\n  - a: b\n - c"])
def test_syntax_errors_have_positions(text: str) -> None:
    problem = load_text("f.yaml", text)
    assert isinstance(problem, Problem)
    assert problem.message.startswith("YAML syntax error")
    assert problem.line >= 1 and problem.col >= 1


def test_a_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    problem = load_file(fifo)
    assert isinstance(problem, Problem) and problem.message == "not a regular file"


def test_control_characters_point_at_their_position() -> None:
    problem = load_text("f.yaml", "alerts:\n  - name: a\x00b\n")
    assert isinstance(problem, Problem)
    assert (problem.line, problem.col) == (2, 12)
    assert "U+0000" in problem.message


# -- the plain walk builds what PyYAML's constructor builds ---------------------------------

ROOT = Path(__file__).resolve().parents[3]
CORPUS_FILES = [*(ROOT / "tests" / "cases").rglob("*.yaml"), *(ROOT / "examples").rglob("*.yaml")]


def _text(path: Path) -> str | None:
    """The file as text; None for one that is not UTF-8 (refused before it is parsed)."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


CORPUS = sorted(path for path in CORPUS_FILES if _text(path) is not None)


def _loaded_both_ways(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> tuple[Document | Problem, Document | Problem]:
    import alertsync.edges.files as files

    fast = load_text("f.yaml", text)
    monkeypatch.setattr(files, "construct", lambda loader, node, a: loader.construct_document(node))
    full = load_text("f.yaml", text)
    monkeypatch.undo()
    return fast, full


def _same(fast: Document | Problem, full: Document | Problem) -> None:
    if isinstance(full, Problem):
        assert fast == full
        return
    assert isinstance(fast, Document)
    assert repr(fast.data) == repr(full.data)  # types too: 1 and 1.0 and True differ
    assert fast.problems == full.problems


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_the_plain_walk_builds_what_pyyaml_builds(
    monkeypatch: pytest.MonkeyPatch, path: Path
) -> None:
    text = _text(path)
    assert text is not None
    _same(*_loaded_both_ways(monkeypatch, text))


@pytest.mark.parametrize(
    "text",
    [
        "a: 010\nb: 0x1F\nc: -0o17\nd: 1e3\ne: .inf\nf: -.NaN\ng: ~\nh:\ni: True\nj: FALSE\n",
        "a: yes\nb: !!bool yes\nc: !!str 12\nd: !!int '7'\ne: !!float '1'\nf: 2024-01-01\n",
        "a: 1\na: 2\n",
        "? [x]\n: y\n1: one\nnull: n\n",
        "<<: {a: 1}\nb: 2\n",
        "a: !!set {x}\nb: !custom 1\nc: !!binary aGk=\n",
        "- [1, [2, [3, {k: [4]}]]]\n- 'quoted: true'\n- \"1\"\n",
        "deep: " + "[" * 60 + "]" * 60 + "\n",
    ],
)
def test_the_plain_walk_leaves_the_unusual_to_pyyaml(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    _same(*_loaded_both_ways(monkeypatch, text))


@pytest.mark.parametrize(
    "text",
    [
        "deep: " + "[" * 150 + "]" * 150 + "\n",  # built by the plain walk
        "a: 1\na: 2\ndeep: " + "[" * 150 + "]" * 150 + "\n",  # by PyYAML (a repeated key)
    ],
)
def test_nesting_deeper_than_64_levels_is_one_problem_either_way(text: str) -> None:
    loaded = load_text("f.yaml", text)
    assert isinstance(loaded, Problem)
    assert loaded.message == "nesting is deeper than 64 levels"
    assert loaded.line == text.count("\n", 0, text.index("[")) + 1  # on the nested lists' line


def _values() -> st.SearchStrategy[object]:
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
        max_leaves=20,
    )


@settings(max_examples=200, deadline=None)
@given(value=_values(), flow=st.booleans())
def test_any_dumped_data_loads_the_same_both_ways(value: object, flow: bool) -> None:
    import yaml

    text = yaml.safe_dump({"data": value}, default_flow_style=flow, allow_unicode=True)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _same(*_loaded_both_ways(monkeypatch, text))


def test_export_quotes_text_yaml_12_would_read_as_something_else() -> None:
    from alertsync.edges.files import export_text

    texts = ["1e3", "1E3", "+1e3", ".5e1", "1e-3", "+.5", "-1e+3", "0o17", "0x1F", "true", "null"]
    text = export_text({"alerts": [{"name": t} for t in texts]}, "s.json")
    loaded = load_text("exported.yaml", text)
    assert isinstance(loaded, Document)
    assert [a["name"] for a in loaded.data["alerts"]] == texts


def test_the_env_file_is_owner_only_and_never_a_pipe(tmp_path: Path) -> None:
    import stat

    from alertsync.edges.files import write_secret_env
    from alertsync.errors import ConfigError

    target = tmp_path / "env"
    write_secret_env(
        str(target), {"A_URL": "https://x.example/p?a=1&b='2'", "B_URL": "https://y/z"}
    )
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert (
        target.read_text() == "A_URL='https://x.example/p?a=1&b='\\''2'\\'''\nB_URL=https://y/z\n"
    )
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="regular file only"):
        write_secret_env(str(fifo), {"A_URL": "https://x"})
