"""Environments: one set of alert files, each environment's effective alerts.

An alert may say in which environments of `alertsync.toml` it exists (`environments:`) and
change any of its fields per environment (`overrides: {staging: {...}}`). An environment's
effective documents are the files with, for each alert that exists there, its override
merged over it; they are validated, planned and applied like files written by hand. Each
effective document knows where its fields are written (`Document.origin`), so a problem in
a merged field points into the override that set it.

Pure: documents and environment names in, documents and problems out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from alertsync.core.schema import SchemaCheck
from alertsync.core.validate import (
    duplicate_names,
    iter_alerts,
    scope_prefix,
    validate_documents,
)
from alertsync.model import Document, PathKey, Position, Problem

ENVIRONMENTS = "environments"
OVERRIDES = "overrides"
KEYS = (ENVIRONMENTS, OVERRIDES)


# -- merging ------------------------------------------------------------------------------


def _merges(base: Any, patch: Any) -> bool:
    """Whether `patch` merges into `base` key by key: two mappings of the same kind (a
    mapping whose `type` differs, such as another detector, replaces the alert's whole)."""
    if not isinstance(base, dict) or not isinstance(patch, dict):
        return False
    return "type" not in patch or "type" not in base or base["type"] == patch["type"]


def merge(base: Any, patch: Any) -> Any:
    """`patch` over `base`: mappings key by key, anything else replaced."""
    if not _merges(base, patch):
        return patch
    merged = dict(base)
    for key, value in patch.items():
        merged[key] = merge(base[key], value) if key in base else value
    return merged


def exists_in(alert: dict[str, Any], environment: str) -> bool:
    """Whether the alert exists in `environment` (no `environments:` list: everywhere)."""
    names = alert.get(ENVIRONMENTS)
    return not isinstance(names, list) or environment in names


def _override(alert: dict[str, Any], environment: str) -> dict[str, Any] | None:
    overrides = alert.get(OVERRIDES)
    found = overrides.get(environment) if isinstance(overrides, dict) else None
    if not isinstance(found, dict):
        return None
    return {k: v for k, v in found.items() if k not in KEYS}


def _base(alert: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in alert.items() if k not in KEYS}


def effective_alert(alert: dict[str, Any], environment: str) -> dict[str, Any]:
    """The alert as it is in `environment`: its override merged over it."""
    override = _override(alert, environment)
    base = _base(alert)
    merged: dict[str, Any] = merge(base, override) if override else base
    return merged


# -- where a merged field is written ------------------------------------------------------


def written_at(alert: dict[str, Any], environment: str, rest: PathKey) -> PathKey:
    """Where `rest` (a path inside the effective alert) is written, relative to the alert:
    inside the override when the override set it, in the alert otherwise."""
    patch: Any = _override(alert, environment)
    below: Any = _base(alert)
    for part in rest:
        if not isinstance(patch, dict) or part not in patch:
            return rest
        value = patch[part]
        inner = below.get(part) if isinstance(below, dict) else None
        if not _merges(inner, value):
            return (OVERRIDES, environment, *rest)
        patch, below = value, inner
    return rest  # a mapping both wrote: the alert's


def effective_document(doc: Document, environment: str) -> Document:
    """The document as it is in `environment`: alerts that exist there, merged with their
    override; every path of it maps back to where it is written."""
    data = doc.data
    alerts = data.get("alerts") if isinstance(data, dict) else None
    if not isinstance(alerts, list):
        return replace(doc, problems=())
    kept = [
        index
        for index, alert in enumerate(alerts)
        if not isinstance(alert, dict) or exists_in(alert, environment)
    ]
    merged = [
        effective_alert(alerts[i], environment) if isinstance(alerts[i], dict) else alerts[i]
        for i in kept
    ]

    def origin(path: PathKey) -> PathKey:
        if len(path) < 2 or path[0] != "alerts" or not isinstance(path[1], int):
            return path
        if not 0 <= path[1] < len(kept):
            return path
        index = kept[path[1]]
        alert = alerts[index]
        if not isinstance(alert, dict):
            return ("alerts", index, *path[2:])
        return ("alerts", index, *written_at(alert, environment, path[2:]))

    return replace(doc, data={**data, "alerts": merged}, problems=(), origin=origin)


def effective_documents(docs: Sequence[Document], environment: str) -> list[Document]:
    return [effective_document(doc, environment) for doc in docs]


# -- checking -----------------------------------------------------------------------------


def environment_problems(
    docs: Sequence[Document], known: Sequence[str] | None, project_file: str
) -> Iterator[Problem]:
    """`environments:` and `overrides:` that name environments `project_file` does not
    define (`known` None: there is no project file, so no environment at all)."""
    for item in iter_alerts(list(docs)):
        alert = item.alert
        if known is None:
            for key in KEYS:
                if key in alert:
                    yield item.problem(
                        (key,),
                        f"'{key}' names environments, but there is no {project_file}: define "
                        "the environments there (see the README), or remove the key",
                        key=True,
                    )
            continue
        names = alert.get(ENVIRONMENTS)
        if isinstance(names, list):
            for index, name in enumerate(names):
                if isinstance(name, str) and name not in known:
                    yield item.problem((ENVIRONMENTS, index), _unknown(name, known, project_file))
        overrides = alert.get(OVERRIDES)
        if not isinstance(overrides, dict):
            continue
        for name in overrides:
            where = (OVERRIDES, name)
            if name not in known:
                yield item.problem(where, _unknown(name, known, project_file), key=True)
            elif isinstance(names, list) and name not in names:
                listed = ", ".join(str(n) for n in names)
                yield item.problem(
                    where,
                    f"an override for environment {name!r}, where this alert does not exist "
                    f"(its environments: {listed}); add {name!r} to them or remove the override",
                    key=True,
                )


def _unknown(name: str, known: Sequence[str], project_file: str) -> str:
    return f"no environment {name!r} in {project_file} (its environments: {', '.join(known)})"


Shape = tuple[tuple[bool, bool], ...]


def shape(docs: Sequence[Document], environment: str) -> Shape:
    """What makes an environment's effective documents what they are: which alerts exist
    there, and which have an override for it."""
    return tuple(
        (exists_in(alert, environment), _override(alert, environment) is not None)
        if isinstance(alert, dict)
        else (True, False)
        for doc in docs
        for alert in _alerts(doc)
    )


def _alerts(doc: Document) -> list[Any]:
    alerts = doc.data.get("alerts") if isinstance(doc.data, dict) else None
    return alerts if isinstance(alerts, list) else []


def alike(docs: Sequence[Document], environments: Sequence[str]) -> list[list[str]]:
    """The environments in groups whose effective documents are the same (the same alerts
    exist, none overridden): each group is validated and planned from one set."""
    groups: dict[object, list[str]] = {}
    for environment in environments:
        found = shape(docs, environment)
        key = found if not any(overridden for _, overridden in found) else environment
        groups.setdefault(key, []).append(environment)
    return list(groups.values())


def as_written(docs: Sequence[Document], environment: str) -> bool:
    """Whether the environment's effective documents are the files as written: every
    alert exists there, and none has an override for it."""
    return all(exists and not overridden for exists, overridden in shape(docs, environment))


def check_environments(
    docs: Sequence[Document],
    schema: SchemaCheck,
    environments: Sequence[str],
    known: Sequence[str],
    project_file: str,
) -> list[Problem]:
    """Every problem of the files for each of `environments` (of the `known` ones of
    `project_file`): the files as written (their shape, and every alert as a whole), the
    environment names they use, and each environment's effective alerts. A problem of the
    effective alerts names the environment(s) that have it. Environments whose effective
    documents are alike are checked once."""
    written = validate_documents(list(docs), schema, unique_names=False)
    written += environment_problems(docs, known, project_file)
    spots = {(p.file, p.line, p.col) for p in written}
    found: dict[Problem, list[str]] = {}
    for names in alike(docs, environments):
        if as_written(docs, names[0]):  # checked above, but for names used twice
            problems = duplicate_names(list(docs))
        else:
            problems = validate_documents(effective_documents(docs, names[0]), schema)
        for problem in problems:
            if (problem.file, problem.line, problem.col) not in spots:
                found.setdefault(problem, []).extend(names)
    named = [in_environments(problem, names) for problem, names in found.items()]
    return sorted(set(written) | set(named))


def in_environments(problem: Problem, names: Sequence[str]) -> Problem:
    """The problem, saying which environment(s) have it (unless its path already does)."""
    if len(names) == 1 and _inside_override(problem.path, names[0]):
        return problem
    which = "environment" if len(names) == 1 else "environments"
    return replace(problem, message=f"{problem.message} (in {which} {', '.join(names)})")


def _inside_override(path: str, name: str) -> bool:
    mark = f".{OVERRIDES}.{name}"
    at = path.find(mark)
    return at >= 0 and path[at + len(mark) : at + len(mark) + 1] in ("", ".", "[")


def sharing(
    targets: Mapping[str, tuple[str, str, Position]],
    documents: Mapping[str, Sequence[Document]],
    file: str,
) -> Problem | None:
    """Two environments of `file` that own the same alerts of one project: the same host and
    project (`@current` aside: it may be another project per key), and scopes that overlap
    (no `name_prefix`, or one prefix starting the other). Each one's apply would undo the
    other's, so the second is a problem at its table (`targets[name][2]`)."""
    names = sorted(name for name, target in targets.items() if target[1] != "@current")
    for index, first in enumerate(names):
        for second in names[index + 1 :]:
            host, project, at = targets[second]
            if targets[first][:2] != (host, project):
                continue
            one, other = scope_prefix(list(documents[first])), scope_prefix(list(documents[second]))
            if one is None or other is None or one.startswith(other) or other.startswith(one):
                return Problem(
                    file,
                    at.line,
                    at.col,
                    f"environments.{second}",
                    f"environments {first} and {second} both own the alerts of project "
                    f"{project} at {host}: each one's apply would undo the other's, and their "
                    "plans would never settle. Give each its own project, or each its own "
                    "scope (`scope: {name_prefix: ...}` in its alert files)",
                )
    return None
