"""The backtest lane's own work loop, beside the live strategies' one.

It waits for its stores, runs the lane, and after a failure (Kafka, Postgres or InfluxDB
gone) starts a new lane after a backoff. It is separate from the live lanes' loop on
purpose: a backtest's trouble never restarts the live strategies, and theirs never
abandons a backtest that is half done. The worker processes outlive the lane's restarts
and end with ``stop``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence

from shared.resources import Resource
from strategy_workers.runtime.backtests_lane import BacktestLane
from strategy_workers.runtime.backtests_pool import ProcessCompute

log = logging.getLogger(__name__)


class BacktestRunner:
    """Runs ``build()``'s lane until ``stop``; a failed lane is replaced after a backoff."""

    def __init__(
        self,
        build: Callable[[], BacktestLane],
        dependencies: Sequence[Resource],
        compute: ProcessCompute | None = None,
        backoff_s: tuple[float, float] = (0.5, 15.0),
    ) -> None:
        self._build = build
        self._dependencies = tuple(dependencies)
        self._compute = compute
        self._backoff_s = backoff_s
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.failures = 0
        """Lanes that failed in a row."""
        self.lane: BacktestLane | None = None

    def start(self) -> None:
        """Begin in the background; returns at once."""
        self._stop.clear()
        self._task = asyncio.create_task(self._loop(), name="strategy-workers-backtests")

    async def stop(self) -> None:
        """Leave the group (jobs under way are abandoned, uncommitted) and end the worker
        processes."""
        self._stop.set()
        if self._task is not None:
            await self._task
            self._task = None
        if self._compute is not None:
            self._compute.close()

    async def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                await self._wait_for_dependencies()
                if self._stop.is_set():
                    return
                await self._run_once()
                self.failures = 0
            except Exception as exc:  # start over; the service and the live lanes stay up
                self.failures += 1
                log.error("backtest lane failed (%d in a row)", self.failures, exc_info=exc)
                low, high = self._backoff_s
                with contextlib.suppress(TimeoutError):
                    delay = min(high, low * 2 ** (self.failures - 1))
                    await asyncio.wait_for(self._stop.wait(), delay)

    async def _run_once(self) -> None:
        lane = self.lane = self._build()
        running: asyncio.Task[None] | None = None
        try:
            await lane.start()
            running = asyncio.create_task(lane.run())
            stopping = asyncio.ensure_future(self._stop.wait())
            await asyncio.wait([running, stopping], return_when="FIRST_COMPLETED")
            stopping.cancel()
            await lane.stop()
            await running
        finally:
            self.lane = None
            if running is not None and not running.done():
                running.cancel()
            await lane.close()

    async def _wait_for_dependencies(self) -> None:
        while not self._stop.is_set():
            try:
                for dependency in self._dependencies:
                    await dependency.ping()
                return
            except Exception:  # not connected yet, or down: ask again shortly
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), 0.5)
