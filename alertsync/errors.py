"""One exception tree: every error alertsync expects knows its exit code and its message.

The CLI catches `AlertsyncError` and prints `Error: <message>` on stderr; nothing below it
prints or exits. Exit codes: 0 success / in sync, 1 any error, 2 changes pending (only for
`plan --detailed-exitcode`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2


class AlertsyncError(Exception):
    """Base of every expected failure. `str(error)` is the user-facing message."""

    exit_code = EXIT_ERROR


class ConfigError(AlertsyncError):
    """Connection settings are missing or unsafe (host, project, API key)."""


class InputError(AlertsyncError):
    """The alert files are invalid; `problems` holds every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the alert files")


class PlanRefused(AlertsyncError):
    """The plan would be unsafe (empty desired set, ambiguous live state, ...)."""


class NetworkError(AlertsyncError):
    """PostHog could not be reached, or the connection broke."""


@dataclass(frozen=True)
class ApiErrorBody:
    """PostHog's error envelope (drf-exceptions-hog)."""

    type: str
    code: str
    detail: str
    attr: str | None


class ApiError(AlertsyncError):
    """PostHog answered with an error status."""

    def __init__(self, status: int, body: ApiErrorBody, action: str) -> None:
        self.status = status
        self.body = body
        self.action = action
        super().__init__(self._message())

    def _message(self) -> str:
        field = f" (field {self.body.attr.replace('__', '.')})" if self.body.attr else ""
        return f"{self.action}: PostHog answered {self.status}: {self.body.detail}{field}"


class AuthenticationFailed(ApiError):
    def _message(self) -> str:
        return (
            f"{self.action}: PostHog rejected the API key (401: {self.body.detail}). "
            "Check POSTHOG_PERSONAL_API_KEY and POSTHOG_HOST."
        )


class PermissionDenied(ApiError):
    def _message(self) -> str:
        return (
            f"{self.action}: PostHog refused access (403: {self.body.detail}). "
            "Give the personal API key the scope it names, or check the project id."
        )


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in an alert file, addressed as file:line:col and a field path."""

    file: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}:{self.col}: {where}{self.message}"
