"""The alert queryset filters of S ``safely_get_queryset`` (contract §3.2).

They apply to **every** alert route that looks alerts up (list, retrieve, update, destroy),
read from the query string in PostHog's order, each failure answered like PostHog:

1. ``insight_tag`` (max 255 characters) and ``has_detector`` (a DRF boolean), validated by a
   serializer first; a blank value is no filter;
2. ``insight`` and ``insight_id``: a present value that is not an integer fails in the ORM,
   which PostHog answers with a 500;
3. ``created_by``: a user UUID, else 400 ``Not a valid UUID.``;
4. ``search``: over 200 characters is a 400; NUL bytes are dropped and the term stripped.
   A name containing the term (case-insensitively) is an ``exact`` match, a name whose
   trigram word similarity with the term exceeds 0.3 a ``similar`` one; similar matches are
   dropped whenever an exact one exists. Results are ordered by relevance (word similarity
   plus full similarity), then newest first, and carry ``search_match_type``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from alertsync.emulator.drf import MAX_NAME_LENGTH, FieldError, to_boolean, to_char
from alertsync.emulator.refusals import server_error, validation_error
from alertsync.emulator.seed import Seed
from alertsync.emulator.stored import Alert
from alertsync.emulator.trigram import similarity, word_similarity

_T = TypeVar("_T")
MAX_SEARCH_LENGTH = 200
MIN_NAME_TRIGRAM_SIMILARITY = 0.3
EXACT = "exact"
SIMILAR = "similar"


@dataclass(frozen=True)
class AlertFilter:
    insight_ids: tuple[int, ...] = ()
    insight_tag: str | None = None
    has_detector: bool | None = None
    created_by: uuid.UUID | None = None
    search: str | None = None  # normalised; None: no search

    def matches(self, alert: Alert, seed: Seed) -> bool:
        """Every filter but the search."""
        if any(alert.insight != insight_id for insight_id in self.insight_ids):
            return False
        if self.insight_tag is not None:
            insight = seed.insights.get(alert.insight)
            if insight is None or self.insight_tag not in insight.tags:
                return False
        if self.has_detector is not None and (alert.detector_config is not None) != (
            self.has_detector
        ):
            return False
        if self.created_by is not None:
            user = seed.users.get(alert.created_by)
            if user is None or _uuid(user.uuid) != self.created_by:
                return False
        return True


NO_FILTER = AlertFilter()


@dataclass(frozen=True)
class Ranked:
    """An alert the search kept, with its match type and relevance."""

    alert: Alert
    match_type: str
    score: float


def search(alerts: list[Alert], term: str) -> list[Ranked]:
    """``apply_trigram_search`` + ``drop_similar_when_exact_exists``; ``alerts`` newest first."""
    needle = term.upper()
    ranked: list[Ranked] = []
    for alert in alerts:
        word = word_similarity(term, alert.name)
        exact = needle in alert.name.upper()
        if exact or word > MIN_NAME_TRIGRAM_SIMILARITY:
            score = word + similarity(alert.name, term)
            ranked.append(Ranked(alert, EXACT if exact else SIMILAR, score))
    if any(item.match_type == EXACT for item in ranked):
        ranked = [item for item in ranked if item.match_type == EXACT]
    return sorted(ranked, key=lambda item: -item.score)  # stable: newest first on ties


def filter_from(query: Mapping[str, str]) -> AlertFilter:
    """The filters of a request's query string, or the first ``ApiError`` PostHog answers."""
    insight_tag = _list_filter(query, "insight_tag", _insight_tag)
    has_detector = _list_filter(query, "has_detector", to_boolean)
    insight_ids = tuple(
        _orm_int(query[name]) for name in ("insight", "insight_id") if name in query
    )
    created_by = query.get("created_by")
    creator = None
    if created_by:
        creator = _uuid(created_by)
        if creator is None:
            raise validation_error("Not a valid UUID.", attr="created_by")
    term = query.get("search")
    normalised = None
    if term:
        if len(term) > MAX_SEARCH_LENGTH:
            detail = f"Search query must be {MAX_SEARCH_LENGTH} characters or fewer."
            raise validation_error(detail, attr="search")
        normalised = term.replace("\x00", "").strip() or None
    return AlertFilter(insight_ids, insight_tag, has_detector, creator, normalised)


def _list_filter(query: Mapping[str, str], name: str, check: Callable[[str], _T]) -> _T | None:
    """A field of ``AlertListFiltersSerializer``: absent or blank means no filter."""
    value = query.get(name)
    if not value:
        return None
    try:
        return check(value)
    except FieldError as error:
        raise validation_error(error.detail, error.code, name) from None


def _insight_tag(value: str) -> str:
    """A ``CharField(max_length=255)``, then ``tagify``: stripped and lower-cased."""
    text = to_char(value, MAX_NAME_LENGTH)
    if not text:
        raise FieldError("This field may not be blank.", "blank")
    return text.lower()


def _orm_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise server_error() from None


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None
