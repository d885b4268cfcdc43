"""The folders are the layers, and this test keeps them so.

* `alertsync/core/` is pure: imported alone, in a fresh interpreter, no core module brings in
  yaml, httpx, click or threading, and none imports a module that touches files, the
  network, the clock, the environment, threads or the terminal.
* `model.py` and `errors.py` depend on nothing of alertsync but each other.
* The renderers never reach the edges, the flow or the CLI.
* Only the CLI imports the CLI; only the CLI and the apply engine's callers import the flow.
* The emulator imports nothing of the client: it is PostHog's side, built from the contract.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "alertsync"
HEAVY = ("yaml", "httpx", "click", "threading")
IMPURE_STDLIB = {
    "os",
    "sys",
    "time",
    "socket",
    "ssl",
    "threading",
    "subprocess",
    "pathlib",
    "io",
    "shutil",
    "tempfile",
    "random",
    "signal",
    "asyncio",
    "concurrent",
    "http",
    "urllib",
    "importlib",
    "datetime",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def imports(path: Path) -> set[str]:
    """Every module `path` imports, at any depth of its code (lazy imports included)."""
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else None
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level and package:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                found.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def alertsync_imports(path: Path) -> set[str]:
    return {m for m in imports(path) if m == "alertsync" or m.startswith("alertsync.")}


def loaded_by(module: str) -> list[str]:
    """Which of HEAVY a fresh interpreter has loaded after importing `module` alone."""
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded: list[str] = json.loads(done.stdout)
    return loaded


@pytest.mark.parametrize("path", modules("core"), ids=lambda p: p.stem)
def test_a_core_module_imported_alone_loads_no_io_library(path: Path) -> None:
    assert loaded_by(module_name(path)) == []


@pytest.mark.parametrize("path", modules("core"), ids=lambda p: p.stem)
def test_a_core_module_imports_nothing_that_does_io(path: Path) -> None:
    top = {m.split(".")[0] for m in imports(path)}
    assert top & (IMPURE_STDLIB | set(HEAVY)) == set()
    outside = {
        m
        for m in alertsync_imports(path)
        if not m.startswith(("alertsync.core", "alertsync.model", "alertsync.errors"))
    }
    assert outside == set()


@pytest.mark.parametrize("name", ["model.py", "errors.py"])
def test_the_shared_values_depend_on_nothing_else(name: str) -> None:
    found = {m for m in alertsync_imports(PACKAGE / name) if m != "alertsync.model"}
    assert found <= {"alertsync.model", "alertsync.model.Plan", "alertsync.model.Problem"}


@pytest.mark.parametrize("path", modules("render"), ids=lambda p: p.stem)
def test_renderers_never_reach_the_edges_the_flow_or_the_cli(path: Path) -> None:
    reached = {
        m
        for m in alertsync_imports(path)
        if m.startswith(("alertsync.edges", "alertsync.flow", "alertsync.cli", "alertsync.apply"))
    }
    assert reached == set()
    assert {m.split(".")[0] for m in imports(path)} & {"httpx", "click", "yaml"} == set()


def test_only_the_cli_imports_the_cli() -> None:
    outside = [
        str(p.relative_to(ROOT))
        for p in sorted(PACKAGE.rglob("*.py"))
        if "cli" not in p.relative_to(PACKAGE).parts[:1]
        and p.name != "__main__.py"
        and any(m.startswith("alertsync.cli") for m in alertsync_imports(p))
    ]
    assert outside == []


@pytest.mark.parametrize("path", modules("emulator"), ids=lambda p: p.stem)
def test_the_emulator_imports_nothing_of_the_client(path: Path) -> None:
    outside = {m for m in alertsync_imports(path) if not m.startswith("alertsync.emulator")}
    assert outside == set()


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: module_name(p))
def test_no_module_is_over_400_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


def test_the_checks_see_a_violation() -> None:
    """The import scan finds what a layering mistake would add (so the tests above can fail)."""
    probe = PACKAGE / "core" / "canonical.py"
    assert "alertsync.model" in imports(probe)
    assert loaded_by("yaml") == ["yaml"]


def modules_after(code: str) -> set[str]:
    """Every module a fresh interpreter has loaded after running `code`."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    found: list[str] = json.loads(done.stdout.splitlines()[-1])
    return set(found)


def test_the_command_line_starts_without_httpx_or_the_emulator() -> None:
    """`alertsync validate` runs in pre-commit on every commit: the CLI's start-up loads
    no HTTP client and no emulator; the commands that need them import them when they run."""
    loaded = modules_after("import alertsync.cli")
    assert {m for m in loaded if m.split(".")[0] in ("httpx", "httpcore", "jsonschema")} == set()
    assert {m for m in loaded if m.startswith("alertsync.emulator.")} <= {
        "alertsync.emulator.cli",
        "alertsync.emulator.default_seed",
    }
    assert "alertsync.flow" not in loaded and "alertsync.edges.posthog.client" not in loaded


def test_validate_loads_no_http_client() -> None:
    code = (
        "from alertsync.cli import cli\n"
        "code = cli.main(['validate', 'examples/alerts.yaml'], standalone_mode=False)\n"
        "assert code == 0, code\n"
    )
    loaded = modules_after(code)
    assert {m for m in loaded if m.split(".")[0] in ("httpx", "httpcore")} == set()
    assert "alertsync.render.formats" not in loaded  # plan renderers: not for validate


def test_the_start_up_checks_see_a_violation() -> None:
    assert "httpx" in modules_after("import alertsync.flow")
