"""The hog-function listing's query (destinations contract §3.4; HF ``safely_get_queryset``,
``HogFunctionFilterSet``).

In PostHog's order: ``search`` (over 200 characters is refused), then ``filter_groups`` (a
JSON list; each non-empty element matched by JSON containment against ``filters``, the
elements OR-ed) and ``filters`` (one more group), then the filter set: ``type`` (comma
list), ``enabled``, ``id``, ``created_by``, ``created_at``, ``updated_at``. Without
``search`` the order is ``execution_order`` (nulls last), then newest ``updated_at``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from alertsync.emulator.clock import parse_datetime
from alertsync.emulator.hog_filters import contains
from alertsync.emulator.hog_search import MAX_SEARCH_LENGTH, search
from alertsync.emulator.hog_stored import HogFunction
from alertsync.emulator.refusals import validation_error

_BOOLEANS = {"1": True, "0": False, "true": True, "false": False}
INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."


@dataclass(frozen=True)
class Listed:
    function: HogFunction
    match: str | None  # search_match_type


def select(
    functions: list[HogFunction], query: Mapping[str, str], users: Collection[int]
) -> list[Listed]:
    """The listed functions, filtered and ordered; a 400 ``ApiError`` for a bad parameter."""
    term = query.get("search", "")
    if len(term) > MAX_SEARCH_LENGTH:
        detail = f"Search query must be {MAX_SEARCH_LENGTH} characters or fewer."
        raise validation_error(detail, attr="search")
    groups = _groups(query)
    wanted = _filter_set(query, users)
    kept = [f for f in functions if f.type != "warehouse_source_webhook" and _in_groups(f, groups)]
    kept = [f for f in kept if all(_matches(f, name, value) for name, value in wanted.items())]
    if term:
        ranked = search(term, kept, lambda f: f.name or "", lambda f: f.description)
        return [Listed(function, match) for function, match in ranked]
    kept.sort(key=lambda f: f.updated_at, reverse=True)
    kept.sort(key=lambda f: (f.execution_order is None, f.execution_order or 0))
    return [Listed(function, None) for function in kept]


def _groups(query: Mapping[str, str]) -> list[Any]:
    groups: list[Any] = []
    if query.get("filter_groups"):
        try:
            parsed = json.loads(query["filter_groups"])
            if not isinstance(parsed, list):
                raise ValueError("filter_groups must be a list")
        except ValueError:
            raise validation_error("Invalid filter_groups", attr="filter_groups") from None
        groups += parsed
    if query.get("filters"):
        try:
            groups.append(json.loads(query["filters"]))
        except ValueError:
            raise validation_error("Invalid filters", attr="filters") from None
    return groups


def _in_groups(function: HogFunction, groups: list[Any]) -> bool:
    wanted = [group for group in groups if group]
    return not wanted or any(contains(function.filters, group) for group in wanted)


def _filter_set(query: Mapping[str, str], users: Collection[int]) -> dict[str, Any]:
    """The filter set's values, each checked (in field order) before anything is filtered."""
    wanted: dict[str, Any] = {}
    types = [value for value in query.get("type", "").split(",") if value]
    if types:
        wanted["type"] = types
    enabled = _BOOLEANS.get(query.get("enabled", "").lower())
    if enabled is not None:
        wanted["enabled"] = enabled
    if query.get("id"):
        wanted["id"] = _uuid(query["id"])
    if query.get("created_by"):
        wanted["created_by"] = _user(query["created_by"], users)
    for name in ("created_at", "updated_at"):
        if query.get(name):
            wanted[name] = _moment(query, name)
    return wanted


def _matches(function: HogFunction, name: str, value: Any) -> bool:
    if name == "type":
        return bool(function.type in value)
    if name in ("created_at", "updated_at"):
        return bool(parse_datetime(getattr(function, name)) == value)
    return bool(getattr(function, name) == value)


def _uuid(text: str) -> str:
    try:
        return str(uuid.UUID(text.strip()))
    except ValueError:
        raise validation_error("Enter a valid UUID.", attr="id") from None


def _user(text: str, users: Collection[int]) -> int:
    try:
        user_id = int(text)
    except ValueError:
        user_id = -1
    if user_id not in users:
        raise validation_error(INVALID_CHOICE, "invalid_choice", attr="created_by")
    return user_id


def _moment(query: Mapping[str, str], name: str) -> Any:
    moment = parse_datetime(query[name].strip())
    if moment is None:
        raise validation_error("Enter a valid date/time.", attr=name)
    return moment
