"""Backtests off the event loop: ``compute`` in a pool of worker processes.

A backtest is CPU-bound for seconds to minutes; in the worker's own process it would stop
the live strategies' lanes (and the Kafka heartbeats) for that long. The pool's processes
are spawned, not forked: the service's threads and locks stay behind. At most ``workers``
backtests run at once; more wait for a process. A process that dies (killed, out of
memory) fails the backtests it held with ``INTERNAL`` and the pool is made anew.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from shared.messages.schemas.backtest import BacktestError
from strategy_workers.domain.backtests import Refusal
from strategy_workers.domain.backtests_run import Broke, Computed, Job, compute

log = logging.getLogger(__name__)


class ProcessCompute:
    """``await compute(job)`` in a worker process; ``close`` ends the processes."""

    def __init__(self, workers: int = 1) -> None:
        if workers < 1:
            raise ValueError(f"workers {workers} is below 1")
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    async def __call__(self, job: Job) -> Computed | Broke:
        pool = self._pool
        if pool is None:
            context = multiprocessing.get_context("spawn")
            pool = self._pool = ProcessPoolExecutor(self.workers, mp_context=context)
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, compute, job)
        except BrokenProcessPool:
            log.error("a backtest worker process died; starting new ones")
            if self._pool is pool:
                self._pool = None
            why = "the backtest's worker process died (out of memory, or killed)"
            return Broke(Refusal(BacktestError.INTERNAL, why))

    def close(self) -> None:
        """Drop queued work and end the processes now, even mid-backtest (its job is
        redelivered: its offset was not committed)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # ProcessPoolExecutor has no public way to stop running work before Python 3.14;
        # waiting would hold a shutdown for as long as the longest backtest.
        processes = list(pool._processes.values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.kill()
