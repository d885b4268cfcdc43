"""What the benchmark ran on: CPU, memory, Python, dependency versions and the code's commit."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("httpx", "PyYAML", "jsonschema", "click")


def _first_line(path: str, prefix: str) -> str:
    try:
        with open(path, encoding="utf-8") as stream:
            for line in stream:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def cpu_model() -> str:
    return _first_line("/proc/cpuinfo", "model name")


def memory() -> str:
    total = _first_line("/proc/meminfo", "MemTotal")
    try:
        return f"{int(total.split()[0]) / 1024 / 1024:.1f} GiB"
    except (ValueError, IndexError):
        return total


def cpus() -> str:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return f"{os.cpu_count()} (usable by this process: {usable or os.cpu_count()})"


def versions() -> str:
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)


def commit() -> str:
    """The checked-out commit, and whether alertsync/ has uncommitted changes (read-only git)."""
    try:
        head = _git("rev-parse", "--short", "HEAD")
        dirty = _git("status", "--porcelain", "--", "alertsync")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{head}{' + uncommitted changes in alertsync/' if dirty else ''}"


def _git(*args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True, timeout=10
    )
    return result.stdout.strip()


def load_average() -> str:
    """1, 5 and 15-minute load: other work on the machine skews the timings."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else ()
    return ", ".join(f"{x:.2f}" for x in load) or "unknown"


def describe() -> list[tuple[str, str]]:
    return [
        ("CPU", cpu_model()),
        ("CPUs (nproc)", cpus()),
        ("Memory", memory()),
        ("OS", f"{platform.system()} {platform.release()} ({platform.machine()})"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("Packages", versions()),
        ("alertsync commit", commit()),
        ("Load average at start", load_average()),
    ]
