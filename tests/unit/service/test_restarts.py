"""The restarting loop waits for its dependencies, replaces failed runs and stops on request."""

from __future__ import annotations

import asyncio

from shared.service.restarts import RestartingLoop
from tests.support.fake_resources import FakeResource, wait_until


class Flaky(RestartingLoop):
    """Fails its first ``failing`` runs, then runs until stopped."""

    def __init__(self, dependency: FakeResource, failing: int) -> None:
        super().__init__([dependency], (0.01, 0.02), name="flaky", what="flaky loop")
        self.failing = failing
        self.runs = 0
        self.failures_seen: list[int] = []

    async def stop(self) -> None:
        self._stop.set()
        await self._finish()

    async def _run_once(self) -> None:
        self.runs += 1
        self.failures_seen.append(self.failures)
        if self.runs <= self.failing:
            raise RuntimeError("run broke")
        await self._stop.wait()


async def test_no_run_starts_before_the_dependencies_answer() -> None:
    store = FakeResource("store", available=False)
    loop = Flaky(store, failing=0)
    loop.start()
    try:
        await wait_until(lambda: store.ping_calls >= 2)
        assert loop.runs == 0
        store.available = True
        await wait_until(lambda: loop.runs == 1)
    finally:
        await loop.stop()


async def test_failed_runs_are_counted_and_replaced_until_one_holds() -> None:
    loop = Flaky(FakeResource("store"), failing=3)
    loop.start()
    try:
        await wait_until(lambda: loop.runs == 4)
        assert loop.failures_seen == [0, 1, 2, 3]
    finally:
        await loop.stop()
    assert loop.failures == 0  # the last run ended cleanly


async def test_stop_during_the_backoff_ends_the_loop_without_another_run() -> None:
    loop = Flaky(FakeResource("store"), failing=100)
    loop._backoff_s = (30.0, 30.0)
    loop.start()
    await wait_until(lambda: loop.failures == 1)
    async with asyncio.timeout(5):
        await loop.stop()
    assert loop.runs == 1
