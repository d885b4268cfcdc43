"""Export: live alerts → an alerts file that plans as `No changes.` against its project.

Pure: canonical live alerts and labels in, the file's document out (`edges.files` writes
it). Human references where they resolve back to the same id (insight short ids, member
emails), defaults and server-owned fields left out, alerts sorted by name, keys in a stable
order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alertsync.core.canonical import DEFAULTS, DETECTOR_THRESHOLD, MANAGED_FIELDS, TRENDS_CONFIG
from alertsync.core.dest_export import export_destinations, manageable
from alertsync.core.duplicates import split_scope
from alertsync.errors import PlanRefused
from alertsync.model import Canonical, Labels, LiveAlert, LiveDest

# The `$schema` comment an export carries by default: the schema file beside the export
# (`export --output` writes it there), so the reference resolves offline, in every clone,
# and describes the alertsync version that wrote the file.
DEFAULT_SCHEMA_URL = "alerts.schema.json"


def export_alert(spec: Canonical, labels: Labels, emails: Mapping[int, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": spec["name"]}
    insight = spec["insight"]
    label = labels.insights.get(insight) if isinstance(insight, int) else None
    out["insight"] = label.short_id if label and label.short_id else insight
    users = [emails.get(u, u) if isinstance(u, int) else u for u in spec["subscribed_users"]]
    if users:
        out["subscribed_users"] = users
    detector = spec.get("detector_config")
    if not (detector is not None and spec["threshold"] == DETECTOR_THRESHOLD):
        out["threshold"] = _threshold(spec["threshold"])
    out["condition"] = spec["condition"]
    out["config"] = _config(spec["config"])
    if detector is not None:
        out["detector_config"] = _compact(detector)
    for key in MANAGED_FIELDS[MANAGED_FIELDS.index("calculation_interval") :]:
        if spec.get(key, DEFAULTS[key]) != DEFAULTS[key]:
            out[key] = spec[key]
    return out


def _compact(value: Any) -> Any:
    """A detector as a person writes it: parameters left at null (the detector's default)
    are left out, so are an empty preprocessing and its null keys."""
    if isinstance(value, list):
        return [_compact(item) for item in value]
    if not isinstance(value, dict):
        return value
    return {k: _compact(v) for k, v in value.items() if v is not None}


def _threshold(threshold: Any) -> Any:
    if not isinstance(threshold, dict):
        return threshold
    out: dict[str, Any] = {}
    if threshold.get("name"):
        out["name"] = threshold["name"]
    configuration = threshold.get("configuration")
    if isinstance(configuration, dict):
        ordered = {k: configuration[k] for k in ("type", "bounds") if k in configuration}
        ordered.update({k: v for k, v in configuration.items() if k not in ordered})
        out["configuration"] = ordered
    else:
        out["configuration"] = configuration
    return out


def _config(config: Any) -> Any:
    if not isinstance(config, dict):
        return config
    skip = ("type", "check_ongoing_interval")
    out = {k: v for k, v in config.items() if k not in skip and v is not None}
    if config.get("type") != TRENDS_CONFIG:
        out = {"type": config.get("type"), **out}
    if config.get("check_ongoing_interval"):
        out["check_ongoing_interval"] = True
    return out


def export_document(
    live: list[LiveAlert],
    labels: Labels,
    emails: Mapping[int, str],
    prefix: str | None,
    routes: Mapping[str, list[LiveDest]] | None = None,
    variables: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """`routes` (alert id → live destinations) when they were read: each alert that has
    destinations of kinds alertsync manages is exported with them; `variables` names the
    URLs (see `core.dest_export.url_variables`)."""
    owned = split_scope(live, prefix).owned
    if "" in owned:
        raise PlanRefused(
            f"live alert {owned[''].id} has no name, and alertsync matches alerts by name, so "
            "no file can hold it: name it in PostHog (or delete it), then export again"
        )
    document: dict[str, Any] = {"version": 1}
    if prefix is not None:
        document["scope"] = {"name_prefix": prefix}
    document["alerts"] = []
    for name in sorted(owned):
        entry = export_alert(owned[name].spec, labels, emails)
        mine = (routes or {}).get(owned[name].id, [])
        if mine and manageable(mine):
            entry["destinations"] = export_destinations(mine, labels, variables or {})
        document["alerts"].append(entry)
    return document
