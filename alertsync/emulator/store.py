"""Thread-safe in-memory alert storage, optionally persisted to a JSON state file.

Alerts are kept in creation order (a dict keeps insertion order), which is also strict
``-created_at`` order read backwards, so a page costs O(offset + limit) without sorting.
After every mutation the whole state is written atomically (temp file + ``os.replace``).
The state file holds alerts (with their check rows) only: never API keys (the seed has them)
or the request log. Version 1 files (before check rows) are still read.
Other collections (hog functions, integrations) ride in the same file as named sections
(:meth:`AlertStore.add_section`).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from itertools import islice
from pathlib import Path
from typing import Any

from alertsync.emulator.stored import Alert

STATE_VERSION = 2
READABLE_VERSIONS = (1, 2)
Dump = Callable[[], list[Any]]
Restore = Callable[[list[Any]], None]


class StateFileError(ValueError):
    """The state file exists but cannot be used."""


class AlertStore:
    """Alerts of one project. Hold :meth:`locked` around read-validate-write sequences."""

    def __init__(self, project_id: int, path: Path | None = None) -> None:
        self._project_id = project_id
        self._path = path
        self._alerts: dict[str, Alert] = {}
        self._encoded: dict[str, str] = {}  # each alert's JSON, so a save only joins strings
        self._lock = threading.RLock()
        self._deferred = 0
        self._dirty = False
        self._sections: dict[str, tuple[Dump, Restore]] = {}

    def add_section(self, name: str, dump: Dump, restore: Restore) -> None:
        """Keep another collection in the state file, as ``name``: a JSON list that ``dump``
        returns (called under the lock) and ``restore`` takes back on load (not called when
        an older state file has no such section: the owner keeps its first-start content)."""
        self._sections[name] = (dump, restore)

    def save(self) -> None:
        """Write the state file now: for a section's owner after it changed."""
        with self._lock:
            self._save()

    @contextmanager
    def locked(self) -> Iterator[None]:
        with self._lock:
            yield

    @contextmanager
    def deferred_writes(self) -> Iterator[None]:
        """Hold the lock and write the state file once at the end (bulk loading)."""
        with self._lock:
            self._deferred += 1
            try:
                yield
            finally:
                self._deferred -= 1
            if self._dirty:  # not after a failure: a half-done bulk load is not saved
                self._save()

    def load(self) -> bool:
        """Read the state file if there is one; ``True`` when state was loaded."""
        if self._path is None or not self._path.exists():
            return False
        alerts, state = _read_state(self._path, self._project_id)
        with self._lock:
            self._alerts = {alert.id: alert for alert in alerts}
            self._encoded = {alert.id: _encode(alert) for alert in alerts}
            for name, (_, restore) in self._sections.items():
                if name in state:
                    _restore_section(self._path, name, state[name], restore)
        return True

    def count(self) -> int:
        with self._lock:
            return len(self._alerts)

    def get(self, alert_id: str) -> Alert | None:
        with self._lock:
            return self._alerts.get(alert_id)

    def page(
        self, offset: int, limit: int, keep: Callable[[Alert], bool] | None = None
    ) -> tuple[int, list[Alert]]:
        """``(count, alerts[offset:offset + limit])`` of the matching alerts, newest first."""
        with self._lock:
            newest_first = reversed(self._alerts.values())
            if keep is None:
                count = len(self._alerts)
                return count, list(islice(newest_first, offset, offset + limit))
            matching = [alert for alert in newest_first if keep(alert)]
        return len(matching), matching[offset : offset + limit]

    def newest_first(self) -> list[Alert]:
        with self._lock:
            return list(reversed(self._alerts.values()))

    def latest_created_at(self) -> str | None:
        with self._lock:
            last = next(reversed(self._alerts.values()), None)
            return None if last is None else last.created_at

    def insert(self, alert: Alert) -> None:
        with self._lock:
            self._put(alert)

    def replace(self, alert: Alert) -> None:
        """Store a new version of an existing alert, keeping its place in the order."""
        with self._lock:
            if alert.id not in self._alerts:
                raise KeyError(alert.id)
            self._put(alert)

    def remove(self, alert_id: str) -> None:
        with self._lock:
            del self._alerts[alert_id]
            self._encoded.pop(alert_id, None)
            self._save()

    def _put(self, alert: Alert) -> None:
        self._alerts[alert.id] = alert
        if self._path is not None:
            self._encoded[alert.id] = _encode(alert)
        self._save()

    def _save(self) -> None:
        if self._path is None:
            return
        if self._deferred:
            self._dirty = True
            return
        self._dirty = False
        alerts = ",\n".join(self._encoded[alert_id] for alert_id in self._alerts)
        header = f'{{"version": {STATE_VERSION}, "project_id": {self._project_id}, "alerts": [\n'
        sections = "".join(
            f',\n"{name}": {json.dumps(dump(), ensure_ascii=False)}'
            for name, (dump, _) in self._sections.items()
        )
        _write_atomic(self._path, f"{header}{alerts}\n]{sections}}}\n")


def _encode(alert: Alert) -> str:
    return json.dumps(alert.to_json(), ensure_ascii=False)


def _read_state(path: Path, project_id: int) -> tuple[list[Alert], dict[str, Any]]:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if state.get("version") not in READABLE_VERSIONS:
            raise StateFileError(f"{path}: unsupported state version {state.get('version')!r}")
        if state.get("project_id") != project_id:
            detail = f"holds project {state.get('project_id')}, the seed is project {project_id}"
            raise StateFileError(f"{path}: {detail}")
        return [Alert.from_json(item) for item in state["alerts"]], state
    except StateFileError:
        raise
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise StateFileError(f"{path}: not a valid emulator state file ({exc})") from exc


def _restore_section(path: Path, name: str, items: Any, restore: Restore) -> None:
    try:
        restore(list(items))
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise StateFileError(f"{path}: not a valid emulator state file ({name}: {exc})") from exc


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temp_name, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
