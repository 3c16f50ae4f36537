"""Processes of the stack: spawning, pid files, telling ours from others', stopping."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from shared.stack.errors import StackError

PROC = Path("/proc")
KILL_WAIT_S = 10.0


@dataclass(frozen=True)
class Identity:
    """What a process of ours shows in /proc: words of its command line, maybe an env entry.

    Some servers (Redis) rewrite their command line, so words are matched as substrings of
    the joined line; the env entry is checked only when given (it does not survive such
    rewrites).
    """

    words: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)

    def matches(self, cmdline: Sequence[str], environ: Mapping[str, str] | None) -> bool:
        """True if a process with this command line and environment is ours."""
        joined = " ".join(cmdline)
        if not cmdline or not all(word in joined for word in self.words):
            return False
        if not self.env:
            return True
        return environ is not None and all(environ.get(k) == v for k, v in self.env.items())


def read_pid(pid_file: Path) -> int | None:
    """The pid recorded in a pid file, or None when there is none (or it is garbage)."""
    try:
        return int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def write_pid(pid_file: Path, pid: int) -> None:
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.write_text(f"{pid}\n")


def alive(pid: int) -> bool:
    """True if the process exists and is not a zombie."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] not in {"Z", "X"}


def cmdline(pid: int) -> list[str]:
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def environ(pid: int) -> dict[str, str] | None:
    try:
        raw = (PROC / str(pid) / "environ").read_bytes()
    except OSError:
        return None
    pairs = (part.decode(errors="replace").partition("=") for part in raw.split(b"\0") if part)
    return {key: value for key, _, value in pairs}


def running_pid(pid_file: Path, identity: Identity) -> int | None:
    """The pid from ``pid_file`` if that process is alive and ours, else None."""
    pid = read_pid(pid_file)
    if pid is None or not alive(pid):
        return None
    env = environ(pid) if identity.env else None
    return pid if identity.matches(cmdline(pid), env) else None


# The shell starts the server in the background and prints its pid, then exits: the server
# is not our child, so it outlives this process and never lingers as our zombie. Its output
# goes to stderr, which is the log file opened here (by us, even when the server runs as
# another user who could not open it).
_DETACH = '"$@" 1>&2 </dev/null & echo $!'


def spawn(
    command: Sequence[str],
    log_path: Path,
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    user: str | None = None,
) -> int:
    """Start a detached long-running process in its own session; output appended to the log."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        shell = subprocess.run(
            ["/bin/sh", "-c", _DETACH, "sh", *command],
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log,
            start_new_session=True,
            user=user,
            group=user,
            extra_groups=[] if user else None,
            check=True,
        )
    return int(shell.stdout.split()[0])


def terminate(pid: int, sig: signal.Signals, timeout_s: float) -> None:
    """Send ``sig``, wait up to ``timeout_s`` for the process to go, then SIGKILL it."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not alive(pid):
            return
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + KILL_WAIT_S
    while alive(pid):
        if time.monotonic() >= deadline:
            raise StackError(f"process {pid} survived SIGKILL for {KILL_WAIT_S:.0f}s")
        time.sleep(0.05)


def log_tail(log_path: Path, since: int = 0, lines: int = 30) -> str:
    """The last ``lines`` lines written to a log after byte offset ``since``."""
    try:
        with log_path.open("rb") as log:
            log.seek(since)
            text = log.read().decode(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
