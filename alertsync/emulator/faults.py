"""The one interception point for fault injection, consulted around every request.

``before`` runs before the request is dispatched: returning a response answers in its
place (a 5xx, a 429 burst) and the API never sees the request; it may also sleep (latency).
``after`` sees the request and the response the API produced (its effects are committed):
it may pass the response on, replace it (a truncated page), or return :data:`DROP` to close
the connection without answering (the client cannot tell whether the write happened).

The default, :class:`NoFaults`, changes nothing.
"""

from __future__ import annotations

from typing import Final, Protocol

from alertsync.emulator.wire import Request, Response


class DropConnection:
    """Marker: close the connection without writing a response."""

    def __repr__(self) -> str:
        return "DROP"


DROP: Final = DropConnection()


class FaultPolicy(Protocol):
    def before(self, request: Request) -> Response | None:
        """A response to send instead of dispatching ``request``, or ``None`` to proceed."""
        ...

    def after(self, request: Request, response: Response) -> Response | DropConnection:
        """What to send for ``request`` once the API produced ``response``."""
        ...


class NoFaults:
    """The default policy: every request is dispatched and answered normally."""

    def before(self, request: Request) -> Response | None:
        return None

    def after(self, request: Request, response: Response) -> Response | DropConnection:
        return response
