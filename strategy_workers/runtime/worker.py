"""The strategy workers' work loop: waits for its stores, runs, starts over after a failure.

One run holds fresh slots and four lanes: the order events feed (positioned first), the
bars consumer group (which loads the strategies of its partitions), the control consumer
and the store refresher. If any of them fails (Kafka, Postgres or InfluxDB gone), all
stop, nothing more is committed, and after a backoff a new run rebuilds everything from
the store, the ledger and InfluxDB, as a restarted process would; bars not committed are
handled again and give the same orders. Loops ``beside`` the run (the backtest jobs)
start and stop with the runner but fail and start over on their own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from shared.bus.batch import BatchConsumer
from shared.bus.consumer import ConsumerLoop
from shared.resources import Resource
from shared.service.restarts import RestartingLoop
from strategy_workers.runtime.desk import Desk
from strategy_workers.runtime.order_events import OrderEventsFeed
from strategy_workers.runtime.refresh import Refresher


class Beside(Protocol):
    """A work loop of its own that starts and stops with the workers' (``BacktestRunner``)."""

    def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Parts:
    """What one run is made of."""

    desk: Desk
    events: OrderEventsFeed
    bars: BatchConsumer
    control: ConsumerLoop
    refresher: Refresher


class WorkerRunner(RestartingLoop):
    """Runs ``build()``'s parts until ``stop``; a failed run is replaced after a backoff."""

    def __init__(
        self,
        build: Callable[[], Awaitable[Parts]],
        dependencies: Sequence[Resource],
        backoff_s: tuple[float, float] = (0.5, 15.0),
        *,
        beside: Sequence[Beside] = (),
    ) -> None:
        super().__init__(dependencies, backoff_s, name="strategy-workers", what="strategy workers")
        self._build = build
        self.beside = tuple(beside)
        self.parts: Parts | None = None

    def start(self) -> None:
        """Begin in the background; returns at once."""
        super().start()
        for loop in self.beside:
            loop.start()

    async def stop(self) -> None:
        """Finish the batch in hand, commit, leave the groups."""
        self._stop.set()
        parts = self.parts
        if parts is not None:
            await parts.bars.stop()
            await parts.control.stop()
        await self._finish()
        for loop in self.beside:
            await loop.stop()

    async def _run_once(self) -> None:
        parts = self.parts = await self._build()
        try:
            async with asyncio.TaskGroup() as group:
                events = group.create_task(parts.events.run(self._stop))
                ready = asyncio.ensure_future(parts.events.ready.wait())
                await asyncio.wait([events, ready], return_when="FIRST_COMPLETED")
                ready.cancel()
                if not parts.events.ready.is_set() or self._stop.is_set():
                    return  # the feed stopped or failed (the group raises its error)
                await parts.bars.start()
                await parts.control.start()
                group.create_task(parts.bars.run())
                group.create_task(parts.control.run())
                group.create_task(parts.refresher.run(self._stop))
                group.create_task(self._watch(parts))
        finally:
            self.parts = None
            await parts.bars.close()
            await parts.control.close()

    async def _watch(self, parts: Parts) -> None:
        await self._stop.wait()
        await parts.bars.stop()
        await parts.control.stop()
