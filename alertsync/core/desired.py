"""The desired state: validated documents → {name: canonical alert}, references unresolved."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from alertsync.core import canonical
from alertsync.core.validate import Located, iter_alerts, scope_prefix
from alertsync.model import Canonical, Document


@dataclass(frozen=True)
class DesiredAlert:
    spec: Canonical
    source: Located


@dataclass(frozen=True)
class DesiredSet:
    alerts: dict[str, DesiredAlert]
    prefix: str | None
    files: tuple[str, ...]
    digest: str  # of every input file's path and bytes: what the plan was computed from

    @property
    def declares_destinations(self) -> bool:
        """Whether any alert owns its destinations (has a `destinations` key)."""
        return any("destinations" in a.source.alert for a in self.alerts.values())


def desired_set(docs: list[Document]) -> DesiredSet:
    """Build the desired set from documents that passed validation."""
    alerts = {
        item.alert["name"]: DesiredAlert(canonical.alert(item.alert), item)
        for item in iter_alerts(docs)
    }
    ordered = {name: alerts[name] for name in sorted(alerts)}
    return DesiredSet(ordered, scope_prefix(docs), tuple(doc.file for doc in docs), digest(docs))


def digest(docs: list[Document]) -> str:
    hasher = hashlib.sha256()
    for doc in sorted(docs, key=lambda d: d.file):
        hasher.update(f"{doc.file}\0{doc.sha256}\n".encode())
    return f"sha256:{hasher.hexdigest()}"
