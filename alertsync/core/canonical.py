"""The canonical alert: one shape for both sides of the diff.

Files and the live API are both normalised into it before anything is compared: the API's
write shape with defaults filled, server-owned fields dropped, numbers normalised, set-like
lists sorted, and every normalisation PostHog applies when it stores an alert mirrored
(alerts contract §14): `check_ongoing_interval` always a boolean for trends and funnels,
absent and null alike for optional config keys, detectors in their stored shape, quiet
hours in their stored encoding. Diffing anything else gives diffs that never go away.
"""

from __future__ import annotations

from typing import Any

from alertsync.core import detectors, quiet_hours
from alertsync.core.numbers import number
from alertsync.model import Canonical

# The fields alertsync manages, in the API's field order. `name` is the identity key.
MANAGED_FIELDS = (
    "insight",
    "subscribed_users",
    "threshold",
    "condition",
    "config",
    "detector_config",
    "calculation_interval",
    "enabled",
    "skip_weekend",
    "schedule_restriction",
    "investigation_agent_enabled",
    "investigation_gates_notifications",
    "investigation_inconclusive_action",
)

DEFAULTS: dict[str, Any] = {
    "subscribed_users": [],
    "detector_config": None,
    "calculation_interval": "daily",
    "enabled": True,
    "skip_weekend": False,
    "schedule_restriction": None,
    "investigation_agent_enabled": False,
    "investigation_gates_notifications": False,
    "investigation_inconclusive_action": "notify",
}
# Fields newer PostHog versions added: sent only when they differ from the default, so an
# older server that does not know them is never sent one the file does not set.
NEWER_FIELDS = (
    "detector_config",
    "schedule_restriction",
    "investigation_agent_enabled",
    "investigation_gates_notifications",
    "investigation_inconclusive_action",
)

TRENDS_CONFIG = "TrendsAlertConfig"
HOGQL_CONFIG = "HogQLAlertConfig"
FUNNELS_CONFIG = "FunnelsAlertConfig"
METRICS_CONFIG = "MetricsAlertConfig"
CONFIG_TYPES = (TRENDS_CONFIG, HOGQL_CONFIG, FUNNELS_CONFIG, METRICS_CONFIG)
# Optional config keys PostHog stores only when sent: absent and null are the same (§14.5).
NULLABLE_CONFIG_KEYS = {HOGQL_CONFIG: ("column", "label_column"), FUNNELS_CONFIG: ("funnel_step",)}
ONGOING_CONFIGS = (TRENDS_CONFIG, FUNNELS_CONFIG)  # check_ongoing_interval always sent (§14.4)

# An anomaly alert still needs a threshold object; this is the one alertsync sends (§14.11).
DETECTOR_THRESHOLD = {"name": "", "configuration": {"type": "absolute", "bounds": {}}}

# Side effects PostHog attaches to changing these (contract §1.3 and §4): a new threshold
# configuration sets the state to Not firing and schedules a check at once; a new interval
# schedules a check at once, which recomputes the firing state.
RESETTING_PATHS: dict[str, str] = {
    "threshold.configuration": (
        "PostHog resets the alert's firing state (to Not firing) and re-checks it at once."
    ),
    "calculation_interval": (
        "PostHog resets the alert's check schedule: it re-checks the alert at once and "
        "recomputes its firing state."
    ),
}


def threshold(raw: Any) -> Any:
    if not isinstance(raw, dict):
        return None if raw is None else raw
    configuration = raw.get("configuration")
    out: dict[str, Any] = {"name": raw.get("name") or ""}
    out["configuration"] = _configuration(configuration)
    return out


def _configuration(raw: Any) -> Any:
    if not isinstance(raw, dict):
        return raw
    out = {k: v for k, v in raw.items() if k != "bounds"}
    bounds = raw.get("bounds")
    if isinstance(bounds, dict):
        out["bounds"] = {k: number(v) for k, v in sorted(bounds.items()) if v is not None}
    elif bounds is None:
        out["bounds"] = {}
    else:
        out["bounds"] = bounds
    return out


def condition(raw: Any) -> Any:
    return dict(raw) if isinstance(raw, dict) else raw


def config(raw: Any) -> Any:
    """The config as PostHog stores it: `type` filled (trends when omitted), a boolean
    `check_ongoing_interval` for trends and funnels, optional keys null when absent."""
    if not isinstance(raw, dict):
        return raw
    out = {k: number(v) for k, v in raw.items()}
    kind = out.setdefault("type", TRENDS_CONFIG)
    for key in NULLABLE_CONFIG_KEYS.get(kind, ()):
        out.setdefault(key, None)
    if kind in ONGOING_CONFIGS:
        out["check_ongoing_interval"] = bool(out.get("check_ongoing_interval"))
    elif kind not in NULLABLE_CONFIG_KEYS:  # metrics and unknown kinds: as written
        out = {k: v for k, v in out.items() if v is not None}
    return out


def users(ids: list[Any]) -> list[Any]:
    """Subscribers are a set: sorted, without repeats (ints before unresolved emails)."""
    unique = set(ids)
    return sorted(unique, key=lambda v: (isinstance(v, str), v if isinstance(v, str) else int(v)))


def alert(raw: dict[str, Any]) -> Canonical:
    """Normalise a write-shaped alert (references may still be unresolved)."""
    out: Canonical = {"name": raw["name"]}
    out["insight"] = number(raw.get("insight"))
    out["subscribed_users"] = users([number(u) for u in raw.get("subscribed_users") or []])
    detector = detectors.canonical(raw.get("detector_config"))
    given = raw.get("threshold")
    placeholder = given is None and detector is not None
    out["threshold"] = threshold(DETECTOR_THRESHOLD if placeholder else given)
    out["condition"] = condition(raw.get("condition"))
    out["config"] = config(raw.get("config"))
    out["detector_config"] = detector
    for key in ("calculation_interval", "enabled", "skip_weekend"):
        value = raw.get(key)
        out[key] = DEFAULTS[key] if value is None else value
    out["schedule_restriction"] = quiet_hours.encode(raw.get("schedule_restriction"))
    for key in ("investigation_agent_enabled", "investigation_gates_notifications"):
        out[key] = bool(raw.get(key)) if raw.get(key) is not None else DEFAULTS[key]
    action = raw.get("investigation_inconclusive_action")
    out["investigation_inconclusive_action"] = action if action is not None else "notify"
    return out


def shown_fields(spec: Canonical) -> tuple[str, ...]:
    """The fields a whole alert is shown with: every field, but the newer ones only when
    they are set (a create sends just those)."""
    return tuple(f for f in MANAGED_FIELDS if f not in NEWER_FIELDS or spec.get(f) != DEFAULTS[f])


def write_value(field: str, value: Any) -> Any:
    """The canonical value as it is sent: optional config keys PostHog stores only when sent
    are left out when null (they read back the same), so nothing the file did not say is
    added to the stored config."""
    if field == "config" and isinstance(value, dict):
        optional = NULLABLE_CONFIG_KEYS.get(str(value.get("type")), ())
        return {k: v for k, v in value.items() if not (k in optional and v is None)}
    return value


def write_body(spec: Canonical, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The request body: the whole write shape (create) or only `fields` (update). A create
    leaves out the newer fields that are at their defaults (an older PostHog does not know
    them, and the newest fills the same defaults)."""
    body: dict[str, Any] = {}
    if fields is None:
        body["name"] = spec["name"]
        fields = shown_fields(spec)
    for field in MANAGED_FIELDS:
        if field in fields:
            body[field] = write_value(field, spec[field])
    return body
