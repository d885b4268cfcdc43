"""Stored hog functions and what a save does to them (destinations contract §3.3, §3.5; HF).

Immutable values, like the stored alerts: every write builds a new one. Besides the model
columns a function carries the CDP's view of its health (``cdp_state``, ``cdp_tokens``), which
PostHog keeps in the plugin server and the API shows as ``status`` (only while enabled).

``HogFunctionState`` (``products/cdp/backend/models/hog_functions/hog_function.py``, newest):
``UNKNOWN = 0, HEALTHY = 1, DEGRADED = 2, DISABLED = 3, FORCEFULLY_DEGRADED = 11,
FORCEFULLY_DISABLED = 12``. Older servers had ``3 = DISABLED_TEMPORARILY`` and
``4 = DISABLED_PERMANENTLY`` instead, so ``status.state`` is a number whose meaning depends
on the server version. A disabled function reads ``{"state": 0, "tokens": 0}``; an enabled
one the plugin server has not seen fail reads healthy with a full token bucket (10,000).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from alertsync.emulator.hog_inputs import comparable

UNKNOWN, HEALTHY, DEGRADED, DISABLED = 0, 1, 2, 3
FORCEFULLY_DEGRADED, FORCEFULLY_DISABLED = 11, 12
STATE_NAMES = {
    "unknown": UNKNOWN,
    "healthy": HEALTHY,
    "degraded": DEGRADED,
    "disabled": DISABLED,
    "forcefully_degraded": FORCEFULLY_DEGRADED,
    "forcefully_disabled": FORCEFULLY_DISABLED,
}
FULL_BUCKET = 10_000
# The config a revision tracks (HF ``DRAFT_CONTENT_FIELDS``): a change to any bumps ``version``.
CONTENT_FIELDS = ("hog", "inputs_schema", "inputs", "filters", "mappings", "masking")


@dataclass(frozen=True)
class HogFunction:
    id: str
    type: str | None
    name: str | None
    description: str
    created_at: str
    created_by: int | None
    updated_at: str
    enabled: bool
    deleted: bool
    hog: str
    bytecode: Any
    inputs_schema: list[dict[str, Any]]
    inputs: dict[str, Any]
    encrypted_inputs: dict[str, Any]
    filters: dict[str, Any]
    masking: Any
    mappings: Any
    icon_url: str | None
    template_id: str | None
    execution_order: int | None
    version: int
    cdp_state: int = HEALTHY
    cdp_tokens: int = FULL_BUCKET

    @property
    def status(self) -> dict[str, int]:
        """``HogFunction.status``: the default state unless enabled."""
        if not self.enabled:
            return {"state": UNKNOWN, "tokens": 0}
        return {"state": self.cdp_state, "tokens": self.cdp_tokens}

    @property
    def alive(self) -> bool:
        """Enabled and not soft-deleted: the CDP would run it."""
        return self.enabled and not self.deleted

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FIELDS}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> HogFunction:
        return cls(**{name: data[name] for name in _FIELDS if name in data})


_FIELDS = tuple(field.name for field in fields(HogFunction))


def content(function: HogFunction) -> dict[str, Any]:
    """HF ``comparable_content``: the tracked config without what validation derives."""
    derived = ("bytecode", "bytecode_error", "transpiled")
    filters = function.filters
    masking = function.masking
    return {
        "hog": function.hog,
        "inputs_schema": function.inputs_schema,
        "inputs": comparable(function.inputs),
        "filters": {k: v for k, v in filters.items() if k not in derived},
        "mappings": function.mappings,
        "masking": {k: v for k, v in masking.items() if k != "bytecode"}
        if isinstance(masking, dict)
        else masking,
    }


def saved(before: HogFunction, after: HogFunction) -> HogFunction:
    """An update's save: ``version`` bumps on a config change; re-enabling a function the CDP
    disabled moves it to degraded (HF ``update``)."""
    if content(after) != content(before):
        after = replace(after, version=before.version + 1)
    if after.enabled and after.cdp_state == DISABLED:
        after = replace(after, cdp_state=DEGRADED)
    return after
