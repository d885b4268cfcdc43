"""Who may alert on which insight (contract §2.5, §3.1, §7): viewer access, the insight-kind
gate with its feature flag, and the metrics data scope of programmatic tokens.

* Viewer access (S ``_require_insight_viewer_access``): create, update and simulate refuse an
  insight the user cannot view; alerts on it are hidden from that user.
* The kind gate (S ``_enforce_alert_feature_flags``): an insight whose kind cannot carry alerts
  is refused; a MetricsQuery insight needs the organization flag ``metrics``. An insight with
  no query at all passes here and is refused later as ``Insight has no valid query.``.
* Metrics scope (S ``_token_lacks_metrics_scope``): a key with scopes but neither ``*`` nor
  ``metrics:read``/``metrics:write`` cannot write alerts on MetricsQuery insights (403) and
  does not see them. Legacy keys (no scopes) are exempt, like session users.
"""

from __future__ import annotations

from alertsync.emulator import queries
from alertsync.emulator.seed import METRICS_FLAG, ApiKey, Insight, Seed

VIEWER_REQUIRED = "Viewer access to this insight is required."
NOT_SUPPORTED = "Alerts are not supported for this insight."
METRICS_DISABLED = "Metrics insight alerts are not enabled for your account."
METRICS_SCOPE_MISSING = "API key missing required scope 'metrics:read'"


def viewer_error(seed: Seed, user_id: int | None, insight: Insight) -> str | None:
    return None if seed.can_view(user_id, insight) else VIEWER_REQUIRED


def kind_gate_error(seed: Seed, insight: Insight) -> str | None:
    """The alertable-kind and feature-flag gate, shared by create, update and simulate."""
    kind = queries.alertable_kind(insight.query)
    if kind is None and insight.query is not None:
        return NOT_SUPPORTED
    if kind == queries.METRICS and not seed.flag_enabled(METRICS_FLAG):
        return METRICS_DISABLED
    return None


def is_metrics_insight(insight: Insight) -> bool:
    return queries.alertable_kind(insight.query) == queries.METRICS


def lacks_metrics_scope(key: ApiKey | None) -> bool:
    """``None`` (the emulator acting for itself) and legacy keys are exempt."""
    if key is None or not key.scopes or "*" in key.scopes:
        return False
    return not any(scope in key.scopes for scope in ("metrics:read", "metrics:write"))
