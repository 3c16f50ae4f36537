"""The backtest lane's own work loop, beside the live strategies' one.

It waits for its stores, runs the lane, and after a failure (Kafka, Postgres or InfluxDB
gone) starts a new lane after a backoff. It is separate from the live lanes' loop on
purpose: a backtest's trouble never restarts the live strategies, and theirs never
abandons a backtest that is half done. The worker processes outlive the lane's restarts
and end with ``stop``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from shared.resources import Resource
from shared.service.restarts import RestartingLoop
from strategy_workers.runtime.backtests_lane import BacktestLane
from strategy_workers.runtime.backtests_pool import ProcessCompute


class BacktestRunner(RestartingLoop):
    """Runs ``build()``'s lane until ``stop``; a failed lane is replaced after a backoff."""

    def __init__(
        self,
        build: Callable[[], BacktestLane],
        dependencies: Sequence[Resource],
        compute: ProcessCompute | None = None,
        backoff_s: tuple[float, float] = (0.5, 15.0),
    ) -> None:
        super().__init__(
            dependencies, backoff_s, name="strategy-workers-backtests", what="backtest lane"
        )
        self._build = build
        self._compute = compute
        self.lane: BacktestLane | None = None

    async def stop(self) -> None:
        """Leave the group (jobs under way are abandoned, uncommitted) and end the worker
        processes."""
        self._stop.set()
        await self._finish()
        if self._compute is not None:
            self._compute.close()

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
