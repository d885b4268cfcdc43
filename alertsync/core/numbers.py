"""Numbers as PostHog's JSON compares them."""

from __future__ import annotations

from typing import Any


def number(value: Any) -> Any:
    """50 and 50.0 are the same bound: integral floats become ints."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value
