"""Values PostHog can store, and that read as they are: checked in every field of an alert.

* Numbers: PostHog keeps bounds and the like as 64-bit floats (and ids as 64-bit integers),
  so a number must be finite and, when it is an integer, exact as a float (at most 2^53).
  A larger one is a 500 from PostHog at apply time, long after review.
* Text: no NUL or other control character (PostgreSQL refuses NUL; the rest corrupts
  output). Names are one line, and carry no bidirectional control, which would make a plan
  display in another order than what it does.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from alertsync.model import PathKey

MAX_EXACT = 2**53
NAME_PATHS = {("name",), ("threshold", "name")}
_BIDI = {
    "\u061c",
    "\u200e",
    "\u200f",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
}
_TEXT_OK = {"\t", "\n", "\r"}
# Every character a text problem can be about: Unicode's Cc category (exactly U+0000-U+001F
# and U+007F-U+009F, fixed by Unicode's stability policy) and the bidirectional controls.
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(_BIDI)) + "]")


def value_problems(value: Any, path: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    """(path, message) for every value under `value` that PostHog cannot store as it reads."""
    if not path and _plainly_storable(value):
        return  # the common case, found in one pass without building any path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from value_problems(child, (*path, str(key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from value_problems(child, (*path, index))
    elif isinstance(value, float) and not math.isfinite(value):
        yield path, f"{value} is not a number PostHog can store"
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_EXACT:
        yield (
            path,
            f"{_digits(value)} is too large: PostHog keeps numbers as 64-bit floats, "
            f"exact up to 2^53 ({MAX_EXACT})",
        )
    elif isinstance(value, str):
        problem = _text_problem(value, path in NAME_PATHS)
        if problem:
            yield path, problem


def _plainly_storable(value: Any) -> bool:
    """True when nothing under `value` can be a problem (False: look closer)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            if _SUSPECT.search(item):
                return False
        elif isinstance(item, float):
            if not math.isfinite(item):
                return False
        elif isinstance(item, int) and not isinstance(item, bool) and abs(item) > MAX_EXACT:
            return False
    return True


def _digits(value: int) -> str:
    text = str(value)
    return text if len(text) <= 24 else f"{text[:20]}… (a number of {len(text)} digits)"


def _text_problem(text: str, name: bool) -> str | None:
    for char in text:
        if name and char in _BIDI:
            return (
                f"contains the bidirectional control U+{ord(char):04X}, which displays text in "
                "another order than it is stored (a plan could read differently from what it "
                "does); remove it"
            )
        if unicodedata.category(char) != "Cc" or (char in _TEXT_OK and not name):
            continue
        if name and char in "\n\r":
            return "a name is one line of text, but this one holds a line break; remove it"
        return (
            f"contains the control character U+{ord(char):04X}, which PostHog cannot store "
            "or show; remove it"
        )
    return None
