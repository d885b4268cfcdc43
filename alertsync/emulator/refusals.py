"""PostHog's error envelope (drf-exceptions-hog): ``{"type", "code", "detail", "attr"}``.

Every failure inside the emulator is an :class:`ApiError`; the dispatcher turns it into a
response. The constructors below carry the exact texts DRF and PostHog use.
"""

from __future__ import annotations

from typing import Any

VALIDATION = "validation_error"
AUTHENTICATION = "authentication_error"
INVALID_REQUEST = "invalid_request"
SERVER = "server_error"


class ApiError(Exception):
    """An error response: status, envelope fields and extra headers."""

    def __init__(
        self,
        status: int,
        error_type: str,
        code: str,
        detail: str,
        attr: str | None = None,
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.type = error_type
        self.code = code
        self.detail = detail
        self.attr = attr
        self.headers = headers

    def body(self) -> dict[str, Any]:
        return {"type": self.type, "code": self.code, "detail": self.detail, "attr": self.attr}


def validation_error(detail: str, code: str = "invalid", attr: str | None = None) -> ApiError:
    """400; DRF's generic code ``invalid`` is reported as ``invalid_input``."""
    return ApiError(400, VALIDATION, "invalid_input" if code == "invalid" else code, detail, attr)


def not_found(detail: str = "Not found.") -> ApiError:
    return ApiError(404, INVALID_REQUEST, "not_found", detail)


def project_not_found() -> ApiError:
    return not_found("Project not found.")


def method_not_allowed(method: str) -> ApiError:
    return ApiError(405, INVALID_REQUEST, "method_not_allowed", f'Method "{method}" not allowed.')


def parse_error(reason: str) -> ApiError:
    return ApiError(400, INVALID_REQUEST, "parse_error", f"JSON parse error - {reason}")


def unsupported_media_type(media_type: str) -> ApiError:
    detail = f'Unsupported media type "{media_type}" in request.'
    return ApiError(415, INVALID_REQUEST, "unsupported_media_type", detail)


def unauthenticated(code: str, detail: str, base_url: str) -> ApiError:
    """401 with the ``WWW-Authenticate`` header PostHog's exception handler adds."""
    metadata = f'Bearer resource_metadata="{base_url}/.well-known/oauth-protected-resource"'
    return ApiError(401, AUTHENTICATION, code, detail, headers=(("WWW-Authenticate", metadata),))


def permission_denied(detail: str) -> ApiError:
    return ApiError(403, AUTHENTICATION, "permission_denied", detail)


def server_error() -> ApiError:
    return ApiError(500, SERVER, "error", "A server error occurred.")
