"""Following the store: the slots are brought in line when its revision changes.

The revision is polled every ``interval_s`` (one row, cheap), and at once when a control
command was applied here. Every worker follows, so the one holding a strategy's symbol
starts, pauses or stops it within about a second of the change, whichever worker applied it.
"""

from __future__ import annotations

import asyncio
import contextlib

from shared.bus.types import Publisher
from strategy_workers.runtime.delivery import deliver
from strategy_workers.runtime.desk import Desk
from strategy_workers.runtime.sync import sync


class Refresher:
    """Polls the store's revision and syncs the slots when it moved."""

    def __init__(self, desk: Desk, publisher: Publisher, interval_s: float = 1.0) -> None:
        self._desk = desk
        self._publisher = publisher
        self._interval_s = interval_s

    async def run(self, stop: asyncio.Event) -> None:
        """Until ``stop``; a store failure raises (the worker starts over)."""
        desk = self._desk
        while not stop.is_set():
            await self.refresh()
            waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(desk.wanted.wait())]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait(waits, timeout=self._interval_s, return_when="FIRST_COMPLETED")
            for waiting in waits:
                waiting.cancel()
            desk.wanted.clear()

    async def refresh(self) -> bool:
        """Sync when the store changed since the last sync; True if it did."""
        desk = self._desk
        if await desk.store.revision() == desk.revision:
            return False
        async with desk.lock:
            await deliver(self._publisher, await sync(desk))
        return True
