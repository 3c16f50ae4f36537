"""Waiting for a started process to answer, with a useful error when it does not."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from shared.stack.errors import StartupError
from shared.stack.process import alive, log_tail

POLL_INTERVAL_S = 0.25


async def wait_ready(
    name: str,
    probe: Callable[[], Awaitable[None]],
    *,
    timeout_s: float,
    pid: int | None = None,
    log: Path | None = None,
    log_offset: int = 0,
) -> None:
    """Poll ``probe`` until it succeeds; raise ``StartupError`` if the process exits or time
    runs out, quoting what the process wrote to its log since ``log_offset``."""
    deadline = time.monotonic() + timeout_s
    last_error = "no answer yet"
    while True:
        try:
            await asyncio.wait_for(probe(), max(deadline - time.monotonic(), 0.1))
        except Exception as exc:  # any failure of the probe means "not ready yet"
            last_error = f"{type(exc).__name__}: {exc}".rstrip(": ")
        else:
            return
        if pid is not None and not alive(pid):
            raise StartupError(name, "exited during start-up", _tail(log, log_offset))
        if time.monotonic() >= deadline:
            reason = f"not ready after {timeout_s:.0f}s ({last_error})"
            raise StartupError(name, reason, _tail(log, log_offset))
        await asyncio.sleep(POLL_INTERVAL_S)


def _tail(log: Path | None, offset: int) -> str:
    return log_tail(log, offset) if log else ""
