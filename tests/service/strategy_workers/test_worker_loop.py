"""The work loop outlives its stores' outages: a failed run is replaced after a backoff."""

from __future__ import annotations

import asyncio
from typing import Any, cast

from shared.bus.memory import MemoryBus
from strategy_workers.runtime.refresh import Refresher
from strategy_workers.runtime.worker import Parts, WorkerRunner
from tests.service.strategy_workers.fakes import rig


async def eventually(condition: Any, timeout_s: float = 10.0) -> None:
    async with asyncio.timeout(timeout_s):
        while not condition():  # noqa: ASYNC110 - the state changes in other tasks
            await asyncio.sleep(0.01)


class Consumer:
    """Stands for a consumer: runs until stopped."""

    def __init__(self) -> None:
        self.stopping = asyncio.Event()
        self.closed = False

    async def start(self) -> None:
        return None

    async def run(self) -> None:
        await self.stopping.wait()

    async def stop(self) -> None:
        self.stopping.set()

    async def close(self) -> None:
        self.stopping.set()
        self.closed = True


class Feed:
    def __init__(self) -> None:
        self.ready = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        self.ready.set()
        await stop.wait()


async def test_a_store_outage_ends_the_run_and_a_new_one_starts_when_it_is_back():
    r = rig()
    r.store.down = True
    built: list[Any] = []

    async def build() -> Parts:
        parts = Parts(
            r.desk,
            cast(Any, Feed()),
            cast(Any, Consumer()),
            cast(Any, Consumer()),
            Refresher(r.desk, r.outbound, interval_s=0.01),
        )
        built.append(parts)
        return parts

    runner = WorkerRunner(build, dependencies=[MemoryBus()], backoff_s=(0.01, 0.02))
    runner.start()
    await eventually(lambda: runner.failures >= 2)  # the refresher's store calls fail
    assert all(p.bars.closed for p in built)  # each failed run let go of its consumers
    r.store.down = False
    count = len(built)
    await eventually(lambda: r.desk.revision == r.store.changes)
    assert len(built) >= count
    await runner.stop()
    assert runner.parts is None and built[-1].bars.closed
