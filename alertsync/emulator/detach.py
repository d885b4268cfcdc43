"""`alertsync emulator --detach`: the emulator in the background, returned to the shell only
once it listens, with its URL on stdout, so a script needs no pause and no polling.

The command forks before anything else runs. The child leaves the terminal's session,
sends its output to the log (or nowhere) and starts the emulator as the foreground command
would; once listening it writes its base URL into a pipe. The parent blocks on that pipe:
a URL means it is ready (printed, exit 0); the pipe closing without one means the child
stopped first, and the child's own error, on the stderr it kept until then, already said
why (the parent exits with the child's code).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import click


@dataclass
class Detached:
    """The child's side: where to say it listens, and where its output goes from then on."""

    ready_fd: int
    log: str | None

    def listening(self, url: str) -> None:
        """Hand the URL to the waiting parent, then let go of its stderr too."""
        sys.stderr.flush()
        _redirect(self.log, (2,))
        os.write(self.ready_fd, f"{url}\n".encode())
        os.close(self.ready_fd)


def detach_now(log: str | None) -> Detached:
    """Fork. In the parent: wait until the emulator listens (or fails), print its URL and
    exit. In the child: return what it needs to say so, detached from the terminal."""
    if not hasattr(os, "fork"):
        raise click.UsageError("--detach needs a POSIX system; run it in the background instead")
    if log is not None:
        _check_writable(log)
    sys.stdout.flush()
    sys.stderr.flush()
    read, write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write)
        sys.exit(_wait(read, pid))
    os.close(read)
    os.setsid()  # no SIGHUP when the terminal closes, no Ctrl-C of the shell's job
    _redirect(log, (0, 1))  # stdout first: the caller's $(...) must not wait for this child
    _close_inherited(keep=write)
    return Detached(write, log)


def _close_inherited(keep: int) -> None:
    """Close every descriptor the caller passed on but 0-2 and the ready pipe: a pipe held
    open by the emulator would never reach end of file for whoever reads it."""
    top = os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1024
    os.closerange(3, keep)
    os.closerange(keep + 1, top)


def _wait(read: int, pid: int) -> int:
    with os.fdopen(read, encoding="utf-8") as pipe:
        url = pipe.read().strip()
    if url:
        click.echo(url)
        return 0
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)  # negative: stopped by a signal
    return code if code > 0 else 1


def _check_writable(log: str) -> None:
    try:
        with open(log, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise click.ClickException(f"cannot write {log}: {exc.strerror or exc}") from None


def _redirect(log: str | None, fds: tuple[int, ...]) -> None:
    """Point `fds` at the log (appended) or /dev/null; stdin always at /dev/null."""
    for fd in fds:
        target = os.devnull if fd == 0 or log is None else log
        flags = os.O_RDONLY if fd == 0 else os.O_WRONLY | os.O_APPEND | os.O_CREAT
        opened = os.open(target, flags, 0o644)
        os.dup2(opened, fd)
        os.close(opened)
