"""PostgreSQL ``pg_trgm``'s ``similarity`` and ``word_similarity``, which PostHog's alert
search ranks and matches with (contract §3.2; ``posthog/helpers/trigram_search.py``).

Trigrams come from each word (a run of alphanumeric characters, lower-cased) padded with two
spaces in front and one behind: ``cat`` gives ``"  c"``, ``" ca"``, ``"cat"``, ``"at "``.

* ``similarity(a, b)``: shared distinct trigrams over all distinct trigrams of both.
* ``word_similarity(a, b)``: the greatest similarity between ``a``'s trigram set and a
  continuous extent of ``b``'s ordered trigrams (``iterate_word_similarity`` in
  ``contrib/pg_trgm/trgm_op.c``): 1.0 when ``a`` is a whole word of ``b``.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+")


def trigrams(text: str) -> list[str]:
    """Every trigram of ``text`` in order, repeats kept."""
    found: list[str] = []
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        found += [padded[index : index + 3] for index in range(len(padded) - 2)]
    return found


def similarity(first: str, second: str) -> float:
    a, b = set(trigrams(first)), set(trigrams(second))
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def word_similarity(needle: str, haystack: str) -> float:
    required = set(trigrams(needle))
    ordered = trigrams(haystack)
    if not required or not ordered:
        return 0.0
    return _iterate(ordered, required, len(required))


def _iterate(ordered: list[str], required: set[str], required_count: int) -> float:
    last_position: dict[str, int] = {}
    distinct = count = 0
    lower, best = -1, 0.0
    for index, trigram in enumerate(ordered):
        is_required = trigram in required
        if lower >= 0 or is_required:
            if last_position.get(trigram, -1) < 0:
                distinct += 1
                count += is_required
            last_position[trigram] = index
        if not is_required:
            continue
        if lower == -1:
            lower, distinct = index, 1
        current = _ratio(count, required_count, distinct)
        tmp_count, tmp_distinct, previous_lower = count, distinct, lower
        for tmp_lower in range(lower, index + 1):
            candidate = _ratio(tmp_count, required_count, tmp_distinct)
            if candidate > current:
                current, distinct, lower, count = candidate, tmp_distinct, tmp_lower, tmp_count
            dropped = ordered[tmp_lower]
            if last_position.get(dropped) == tmp_lower:
                tmp_distinct -= 1
                tmp_count -= dropped in required
        best = max(best, current)
        for tmp_lower in range(previous_lower, lower):
            dropped = ordered[tmp_lower]
            if last_position.get(dropped) == tmp_lower:
                last_position[dropped] = -1
    return best


def _ratio(count: int, required: int, distinct: int) -> float:
    denominator = required + distinct - count
    return count / denominator if denominator else 0.0
