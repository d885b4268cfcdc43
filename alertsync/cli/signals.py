"""Stopping an apply cleanly: the user's request to stop, as a value the flow can consult.

While changes are being applied (`stop_on_signals`), the first Ctrl-C (SIGINT) or SIGTERM
becomes :meth:`Stop.request`: the request in flight finishes, nothing new is sent, and the
report says what was done. A second signal raises :class:`Interrupted`, which abandons the
request in flight. The handlers are installed only then, and restored afterwards.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType

import click


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


@contextmanager
def stop_on_signals(stop: Stop) -> Iterator[Stop]:
    """While applying: the first SIGINT/SIGTERM asks to stop after the request in flight,
    a second one abandons it. Handlers are restored afterwards (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handle(signum: int, frame: FrameType | None) -> None:
        again = stop.requested
        stop.request(signum)
        if again:
            raise Interrupted(signum)
        with suppress(Exception):  # never fail inside a signal handler
            click.echo(
                f"\n{signal_name(signum)}: finishing the request in flight, then stopping "
                "(send it again to abandon the request).",
                err=True,
            )

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
