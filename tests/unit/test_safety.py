"""Only safe YAML loading anywhere in alertsync: no loader that can construct objects.

(That a `!!python/...` tag is refused and never runs is tested on real files in
tests/cli/test_hostile_input.py and tests/cases/invalid/python-tag.yaml.)
"""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent.parent / "alertsync"
UNSAFE = re.compile(
    r"yaml\.(load|load_all|unsafe_load|unsafe_load_all|full_load|full_load_all|Loader|"
    r"FullLoader|UnsafeLoader|CLoader|CFullLoader|CUnsafeLoader)\b"
)


def test_no_unsafe_yaml_api_in_the_package() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if UNSAFE.search(line)
    ]
    assert found == []


def test_the_pattern_catches_unsafe_calls() -> None:
    assert UNSAFE.search("data = yaml.load(text, Loader=yaml.Loader)")
    assert UNSAFE.search("yaml.unsafe_load(text)")
    assert not UNSAFE.search("yaml.safe_load(text)")
    assert not UNSAFE.search("loader = yaml.SafeLoader(text)")
