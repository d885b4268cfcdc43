"""Search over hog functions (`?search=`, contract destinations §3.4), as PostHog's
``apply_trigram_search`` does it: on the name, and on the description at a lower weight.

* ``exact``: the query is a case-insensitive substring of the name (or the description).
* ``similar``: pg_trgm's word similarity (see :mod:`~alertsync.emulator.trigram`) of the
  query to the name of at least 0.3, or to the description of at least 0.4.
* When any row matches exactly, the similar ones are dropped
  (``drop_similar_when_exact_exists``). Rows rank by score (description matches count half),
  then by name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from alertsync.emulator.trigram import word_similarity

T = TypeVar("T")
MAX_SEARCH_LENGTH = 200
NAME_THRESHOLD = 0.3
DESCRIPTION_THRESHOLD = 0.4
DESCRIPTION_WEIGHT = 0.5


@dataclass(frozen=True)
class Hit:
    score: float
    match: str  # "exact" or "similar"


def score(query: str, name: str, description: str) -> Hit | None:
    needle = query.lower()
    if needle in name.lower() or (description and needle in description.lower()):
        return Hit(1.0 + word_similarity(query, name), "exact")
    on_name = word_similarity(query, name)
    on_description = word_similarity(query, description) if description else 0.0
    if on_name < NAME_THRESHOLD and on_description < DESCRIPTION_THRESHOLD:
        return None
    return Hit(max(on_name, on_description * DESCRIPTION_WEIGHT), "similar")


def search(
    query: str, rows: Sequence[T], name: Callable[[T], str], description: Callable[[T], str]
) -> list[tuple[T, str]]:
    """Matching rows with their ``search_match_type``, best first."""
    term = query.replace("\x00", "").strip()
    hits = [(row, score(term, name(row), description(row))) for row in rows]
    found = [(row, hit) for row, hit in hits if hit is not None]
    if any(hit.match == "exact" for _, hit in found):
        found = [(row, hit) for row, hit in found if hit.match == "exact"]
    found.sort(key=lambda pair: (-pair[1].score, name(pair[0])))
    return [(row, hit.match) for row, hit in found]
