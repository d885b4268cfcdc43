"""Offline validation: the JSON Schema plus the semantic rules PostHog enforces.

Pure: documents and the schema in, problems out (all of them, sorted by file and position).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from alertsync.core.alert_rules import field_problems
from alertsync.core.dest_rules import destination_problems
from alertsync.core.schema import SchemaCheck
from alertsync.core.storable import value_problems
from alertsync.model import Document, PathKey, Problem


@dataclass(frozen=True)
class Located:
    """An alert mapping and where it is."""

    doc: Document
    index: int
    alert: dict[str, Any]

    def problem(self, rel: PathKey, message: str, *, key: bool = False) -> Problem:
        return self.doc.problem(("alerts", self.index, *rel), message, key=key)


def validate_documents(
    docs: list[Document], schema: SchemaCheck, *, unique_names: bool = True
) -> list[Problem]:
    """Every problem of the documents planned together. `unique_names=False` leaves out
    the check that names are unique (alerts of several environments may share a name;
    each environment's effective alerts are checked for it instead)."""
    problems: list[Problem] = []
    for doc in docs:
        problems.extend(schema.problems(doc))
    problems.extend(_scope_problems(docs))
    located = list(iter_alerts(docs))
    if unique_names:
        problems.extend(_duplicate_names(located))
    prefix = scope_prefix(docs)
    for item in located:
        problems.extend(alert_problems(item, prefix))
    return sorted(set(problems))


def duplicate_names(docs: list[Document]) -> list[Problem]:
    """The alerts whose name an earlier alert of `docs` already has."""
    return sorted(_duplicate_names(list(iter_alerts(docs))))


def iter_alerts(docs: list[Document]) -> Iterator[Located]:
    for doc in docs:
        alerts = doc.data.get("alerts") if isinstance(doc.data, dict) else None
        if not isinstance(alerts, list):
            continue
        for index, alert in enumerate(alerts):
            if isinstance(alert, dict):
                yield Located(doc, index, alert)


def _declared_scope(doc: Document) -> Any:
    return doc.data.get("scope") if isinstance(doc.data, dict) else None


def scope_prefix(docs: list[Document]) -> str | None:
    """The name prefix the files own, or None when they own the whole project."""
    for doc in docs:
        scope = _declared_scope(doc)
        if isinstance(scope, dict) and isinstance(scope.get("name_prefix"), str):
            return str(scope["name_prefix"])
    return None


def _scope_problems(docs: list[Document]) -> Iterator[Problem]:
    """Files merged into one desired set must agree on the scope they own."""
    if len(docs) < 2:
        return
    first = docs[0]
    for doc in docs[1:]:
        if _declared_scope(doc) != _declared_scope(first):
            has_scope = isinstance(doc.data, dict) and "scope" in doc.data
            pos = doc.position(("scope",), key=True) if has_scope else doc.position(())
            yield Problem(
                doc.file,
                pos.line,
                pos.col,
                "scope",
                f"scope {_scope_words(_declared_scope(doc))} differs from "
                f"{_scope_words(_declared_scope(first))} in {first.file}; files planned "
                "together must declare the same scope",
            )


def _scope_words(scope: Any) -> str:
    if isinstance(scope, dict) and "name_prefix" in scope:
        return f"name_prefix {scope['name_prefix']!r}"
    return "(none: the whole project)"


def _duplicate_names(located: list[Located]) -> Iterator[Problem]:
    first: dict[str, Located] = {}
    for item in located:
        name = item.alert.get("name")
        if not isinstance(name, str):
            continue
        if name in first:
            other = first[name]
            where = other.doc.position(("alerts", other.index, "name"))
            yield item.problem(
                ("name",),
                f"duplicate alert name {name!r}: already declared at "
                f"{other.doc.file}:{where.line}:{where.col}; names must be unique across all files",
            )
        else:
            first[name] = item


def alert_problems(item: Located, prefix: str | None) -> Iterator[Problem]:
    for path, message in value_problems(item.alert):
        yield item.problem(path, message)
    yield from _name_problems(item, prefix)
    for path, message in field_problems(item.alert):
        yield item.problem(path, message)
    for path, message in destination_problems(item.alert):
        yield item.problem(path, message)


def _name_problems(item: Located, prefix: str | None) -> Iterator[Problem]:
    name = item.alert.get("name")
    if not isinstance(name, str) or not name:
        return
    if name != name.strip():
        yield item.problem(
            ("name",),
            "name has leading or trailing whitespace, which PostHog strips; remove it",
        )
    threshold = item.alert.get("threshold")
    label = threshold.get("name") if isinstance(threshold, dict) else None
    if isinstance(label, str) and label != label.strip():
        yield item.problem(
            ("threshold", "name"),
            "threshold name has leading or trailing whitespace, which PostHog strips; remove it",
        )
    if prefix is not None and not name.startswith(prefix):
        yield item.problem(
            ("name",),
            f"name {name!r} does not start with the scope's name_prefix {prefix!r}; "
            "these files only own alerts with that prefix",
        )
