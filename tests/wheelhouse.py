"""An offline wheelhouse, made from the distributions this test environment has installed.

Some tests install alertsync the way its users do (`pip install -e .` in the README's
quickstart, pre-commit's `pip install .` of the hook repository). Tests never reach the
network, so those installs get `PIP_NO_INDEX=1` and `PIP_FIND_LINKS=<this wheelhouse>`:
each distribution that alertsync and its build backend need is packed back into a wheel
from the files its RECORD lists (scripts left out: pip writes them again from the entry
points). The versions are exactly the ones the tests run with.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata as metadata
import zipfile
from collections.abc import Iterable
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# What `pip install .` of alertsync needs: its build backend, then its runtime dependencies.
ROOTS = ("hatchling", "pyyaml", "jsonschema", "httpx", "click")
LEFT_OUT = {"INSTALLER", "REQUESTED", "RECORD", "direct_url.json"}


def closure(roots: Iterable[str]) -> list[metadata.Distribution]:
    """The installed distributions `roots` need, transitively (markers of this interpreter)."""
    seen: dict[str, metadata.Distribution] = {}
    todo = list(roots)
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        dist = metadata.distribution(name)
        seen[name] = dist
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return [seen[name] for name in sorted(seen)]


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def repack(dist: metadata.Distribution, into: Path) -> Path:
    """`dist`, as installed, as a wheel in `into`."""
    files = [f for f in dist.files or [] if not str(f).startswith("..")]
    info = next(f.parent for f in files if f.name == "METADATA")
    wheel_info = dist.read_text("WHEEL") or ""
    tags = [x.split(":", 1)[1].strip() for x in wheel_info.splitlines() if x.startswith("Tag:")]
    name = canonicalize_name(dist.metadata["Name"]).replace("-", "_")
    wheel = into / f"{name}-{dist.version}-{tags[0]}.whl"
    record: list[str] = []
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            if "__pycache__" in file.parts or (file.parent == info and file.name in LEFT_OUT):
                continue
            data = Path(str(file.locate())).read_bytes()
            archive.writestr(str(file), data)
            record.append(f"{file},{_digest(data)},{len(data)}")
        record.append(f"{info}/RECORD,,")
        archive.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
    return wheel


def build(into: Path, roots: Iterable[str] = ROOTS) -> Path:
    into.mkdir(parents=True, exist_ok=True)
    for dist in closure(roots):
        repack(dist, into)
    return into


def offline_pip(wheelhouse: Path) -> dict[str, str]:
    """The environment that keeps pip (and virtualenv) off the network."""
    return {
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
        "PIP_CONFIG_FILE": "/dev/null",  # no machine-wide index, links or constraints either
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_CACHE_DIR": "1",
        "VIRTUALENV_NO_PERIODIC_UPDATE": "1",
    }
