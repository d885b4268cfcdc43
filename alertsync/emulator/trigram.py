"""PostHog's trigram search (``apply_trigram_search``), approximated without Postgres.

* ``exact``: the query is a case-insensitive substring of the name (or the description).
* ``similar``: pg_trgm-style word similarity of the query to the best run of words in the
  name of at least 0.3 (0.4 for descriptions): trigrams of lower-cased words padded with
  two spaces before and one after, compared as sets (shared / union).
* When any row matches exactly, the similar ones are dropped
  (``drop_similar_when_exact_exists``). Rows rank by score (description matches count half),
  then by name.

The thresholds and the exact-drops-similar rule are PostHog's; the similarity is close to
pg_trgm's ``word_similarity`` but not identical, so borderline typos may rank differently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
MAX_SEARCH_LENGTH = 200
NAME_THRESHOLD = 0.3
DESCRIPTION_THRESHOLD = 0.4
DESCRIPTION_WEIGHT = 0.5
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Hit:
    score: float
    match: str  # "exact" or "similar"


def trigrams(text: str) -> set[str]:
    found: set[str] = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def word_similarity(query: str, text: str) -> float:
    """The best set similarity between the query and a contiguous run of ``text``'s words."""
    wanted = trigrams(query)
    words = _WORD.findall(text.lower())
    if not wanted or not words:
        return 0.0
    best = 0.0
    for start in range(len(words)):
        extent: set[str] = set()
        for end in range(start, len(words)):
            extent |= trigrams(words[end])
            best = max(best, len(wanted & extent) / len(wanted | extent))
    return best


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
