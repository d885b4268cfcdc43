"""Stopping an apply cleanly: the user's request to stop, as a value the flow can consult.

The CLI turns the first Ctrl-C (SIGINT) or SIGTERM into :meth:`Stop.request`: the request
in flight finishes, nothing new is sent, and the report says what was done. A second signal
raises :class:`Interrupted`, which abandons the request in flight. Nothing here installs
signal handlers; only the CLI does.
"""

from __future__ import annotations

import signal
import threading


class Interrupted(KeyboardInterrupt):
    """A second signal: abandon the request in flight now."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal_name(signum))
        self.signum = signum


class Stop:
    """Whether, and by which signal, the user asked the run to stop."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self._event = threading.Event()

    def request(self, signum: int) -> None:
        if self.signum is None:
            self.signum = signum
        self._event.set()

    @property
    def requested(self) -> bool:
        return self._event.is_set()

    def reason(self) -> str | None:
        if self.signum is None:
            return None
        return f"interrupted by {signal_name(self.signum)}"

    def sleep(self, seconds: float) -> None:
        """Sleep, but wake up as soon as a stop is requested."""
        self._event.wait(max(seconds, 0.0))


def signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"
