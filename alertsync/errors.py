"""One exception tree: every error alertsync expects knows its exit code and its message.

The CLI catches `AlertsyncError` and prints `Error: <message>` on stderr; nothing below it
prints or exits. Exit codes: 0 success / in sync, 1 any error, 2 changes pending (only for
`plan --detailed-exitcode`), 128 + the signal number when `apply` was interrupted (130 for
Ctrl-C / SIGINT, 143 for SIGTERM).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from alertsync.model import Plan, Problem

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_SIGNAL_BASE = 128  # apply interrupted by signal N exits 128 + N


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


class Cancelled(AlertsyncError):
    """The user did not approve the apply at the prompt."""

    def __init__(self) -> None:
        super().__init__("apply cancelled; nothing was changed")


class PlanFileError(AlertsyncError):
    """A saved plan file that cannot be read, or is not one alertsync can apply."""


class PlanRefused(AlertsyncError):
    """The plan would be unsafe (empty desired set, ambiguous live state, ...)."""


class MassDeleteRefused(PlanRefused):
    """The plan deletes more alerts than the deletion guards allow; it names every one.
    `plan` is the refused plan, so a reviewer can still see it."""

    def __init__(self, message: str, plan: Plan | None = None) -> None:
        super().__init__(message)
        self.plan = plan


class NetworkError(AlertsyncError):
    """PostHog could not be reached, or the connection broke."""


class ListingError(NetworkError):
    """A listing whose pages do not add up: nothing may be planned from it."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"listing alerts: {what}; the listing is inconsistent (alerts changed while it was "
            "read, or a page was lost). Nothing was planned; run again."
        )


class MalformedAlert(NetworkError):
    """PostHog listed an alert whose shape alertsync cannot read: nothing is planned from it."""

    def __init__(self, index: int, raw: object, what: str) -> None:
        ident = raw.get("id") if isinstance(raw, dict) else None
        which = f"alert {ident!r}" if isinstance(ident, str) and ident else f"entry {index + 1}"
        super().__init__(
            f"listing alerts: PostHog sent {which} in a shape alertsync cannot read ({what}). "
            "Nothing was planned or written; check that POSTHOG_HOST is a PostHog server."
        )


class NotKept(AlertsyncError):
    """PostHog accepted a write but its answer lacks fields that were sent: an older server
    that does not know them (DRF ignores unknown keys). The rest of the write was saved."""

    def __init__(self, action: str, fields: Sequence[str], alert_id: str | None) -> None:
        self.alert_id = alert_id
        named = ", ".join(fields)
        super().__init__(
            f"{action}: PostHog saved the alert but did not keep {named}: this server (an "
            "older PostHog?) does not know the field(s), so it cannot hold that setting. "
            "Remove it from the file, or upgrade PostHog."
        )


class RetriesExhausted(NetworkError):
    """A request kept failing in a retryable way until the retry budget ran out.

    `last` is the last failure. Nothing more is worth attempting in the same run.
    """

    def __init__(self, last: AlertsyncError, why: str) -> None:
        self.last = last
        self.why = why
        super().__init__(f"{last} ({why})")


class Abandoned(NetworkError):
    """The user interrupted the run before this request was (re)sent.

    `sent` tells whether an earlier attempt of it reached the wire.
    """

    def __init__(self, message: str, *, sent: bool) -> None:
        self.sent = sent
        super().__init__(message)


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
    """`key_env`: the variable the key was read from (an environment of alertsync.toml
    names its own, and its host comes from that file)."""

    def __init__(
        self,
        status: int,
        body: ApiErrorBody,
        action: str,
        key_env: str = "POSTHOG_PERSONAL_API_KEY",
    ) -> None:
        self.key_env = key_env
        super().__init__(status, body, action)

    def _message(self) -> str:
        default = self.key_env == "POSTHOG_PERSONAL_API_KEY"
        host = "POSTHOG_HOST" if default else "the environment's host in alertsync.toml"
        return (
            f"{self.action}: PostHog rejected the API key (401: {self.body.detail}). "
            f"Check {self.key_env} and {host}."
        )


class PermissionDenied(ApiError):
    def _message(self) -> str:
        return (
            f"{self.action}: PostHog refused access (403: {self.body.detail}). "
            "Give the personal API key the scope it names, or check the project id."
        )
