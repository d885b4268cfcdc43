"""Reading the emulator's own input files (seeds, fault files): JSON by suffix, else YAML."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml


def read_data_file(path: Path, what: str, error: type[Exception]) -> Any:
    """The data of a JSON (``.json``) or YAML file; `error` names the file and the problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise error(f"{path}: cannot read the {what}: {exc.strerror}") from None
    try:
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise error(f"{path}: not valid JSON/YAML: {exc}") from None
