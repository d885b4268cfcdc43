"""PostHog's fuzzy channel search (``posthog/helpers/fuzzy_search.py``), without rapidfuzz.

``fuzzy_filter`` keeps the items whose key scores at least 70 with rapidfuzz's ``WRatio``
on ``default_process``-ed strings (lower-cased, every non-alphanumeric character a space,
trimmed), best first, ties in input order. ``WRatio`` blends the plain ratio, the partial
ratio (best window of the longer string) and the token sort/set ratios; this module
reimplements those from their published definitions (Indel similarity: twice the longest
common subsequence over the summed lengths).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
SCORE_CUTOFF = 70.0


def process(text: str) -> str:
    return "".join(char if char.isalnum() else " " for char in text).lower().strip()


def _lcs(left: str, right: str) -> int:
    previous = [0] * (len(right) + 1)
    for char in left:
        current = [0]
        for index, other in enumerate(right):
            current.append(
                previous[index] + 1 if char == other else max(previous[index + 1], current[-1])
            )
        previous = current
    return previous[-1]


def ratio(left: str, right: str) -> float:
    total = len(left) + len(right)
    return 100.0 if total == 0 else 200.0 * _lcs(left, right) / total


def partial_ratio(left: str, right: str) -> float:
    short, long = (left, right) if len(left) <= len(right) else (right, left)
    if not short:
        return 0.0
    size = len(short)
    windows = {long[i : i + size] for i in range(len(long) - size + 1)}
    windows |= {long[:i] for i in range(1, size)} | {long[-i:] for i in range(1, size)}
    return max(ratio(short, window) for window in windows)


def token_sort_ratio(left: str, right: str) -> float:
    return ratio(" ".join(sorted(left.split())), " ".join(sorted(right.split())))


def token_set_ratio(left: str, right: str) -> float:
    tokens_a, tokens_b = set(left.split()), set(right.split())
    if not tokens_a or not tokens_b:
        return 0.0
    shared = " ".join(sorted(tokens_a & tokens_b))
    only_a, only_b = " ".join(sorted(tokens_a - tokens_b)), " ".join(sorted(tokens_b - tokens_a))
    if shared and (not only_a or not only_b):
        return 100.0
    best = ratio(only_a, only_b) if not shared else 0.0
    if shared:
        with_a = f"{shared} {only_a}".strip()
        with_b = f"{shared} {only_b}".strip()
        best = max(ratio(with_a, with_b), ratio(shared, with_a), ratio(shared, with_b))
    return best


def partial_token_ratio(left: str, right: str) -> float:
    tokens_a, tokens_b = set(left.split()), set(right.split())
    if tokens_a & tokens_b:
        return 100.0
    sorted_a, sorted_b = " ".join(sorted(tokens_a)), " ".join(sorted(tokens_b))
    return partial_ratio(sorted_a, sorted_b)


def wratio(query: str, choice: str) -> float:
    left, right = process(query), process(choice)
    if not left or not right:
        return 0.0
    length_ratio = max(len(left), len(right)) / min(len(left), len(right))
    best = ratio(left, right)
    if length_ratio < 1.5:
        return max(best, max(token_sort_ratio(left, right), token_set_ratio(left, right)) * 0.95)
    scale = 0.9 if length_ratio <= 8.0 else 0.6
    best = max(best, partial_ratio(left, right) * scale)
    return max(best, partial_token_ratio(left, right) * 0.95 * scale)


def fuzzy_filter(query: str, items: Sequence[T], key: Callable[[T], str]) -> list[T]:
    """The items scoring at least 70, best first (a stable sort keeps ties in input order)."""
    scored = [(wratio(query, key(item)), index) for index, item in enumerate(items)]
    kept = sorted(
        ((score, index) for score, index in scored if score >= SCORE_CUTOFF), key=lambda p: -p[0]
    )
    return [items[index] for _, index in kept]
