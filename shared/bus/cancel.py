"""A guard for cancellations that a library swallowed on the way."""

from __future__ import annotations

import asyncio


def raise_lost_cancellation() -> None:
    """Raise the cancellation of the running task if an await on the way swallowed it.

    On Python 3.11, ``asyncio.wait_for`` returns the result instead of raising when the
    cancellation arrives just as the awaited operation ends (redis-py sends every command
    under one; the handler's write in flight awaits such sends). Without this, a cancelled
    ``run`` (a crash, ``LivePipeline.abort``) would go on consuming, and whoever awaits its
    task would wait forever.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError
