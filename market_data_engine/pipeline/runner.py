"""The pipeline inside the service: waits for its stores, consumes, starts over after a failure.

The service must stay up when Kafka, Redis or InfluxDB are down (its readiness says so), so
the pipeline never fails start-up: it waits until its stores answer, then runs a fresh
consumer. When that consumer fails, it is closed without saving anything and, after a
backoff, a new one restores every partition from its saved state, as a restarted
process would.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import Callable, Sequence

from market_data_engine.pipeline import metrics
from shared.bus.batch import BatchConsumer
from shared.resources import Resource

log = logging.getLogger(__name__)


class LivePipeline:
    """Runs consumers made by ``build`` one after another until ``stop``."""

    def __init__(
        self,
        build: Callable[[], BatchConsumer],
        *,
        dependencies: Sequence[Resource] = (),
        backoff_s: tuple[float, float] = (0.5, 30.0),
    ) -> None:
        self._build = build
        self._dependencies = tuple(dependencies)
        self._backoff_s = backoff_s
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._consumer: BatchConsumer | None = None
        self.failures = 0
        """Consumers that failed in a row."""

    @property
    def running(self) -> bool:
        """True between ``start`` and the end of ``stop`` or ``abort``."""
        return self._task is not None and not self._task.done()

    @property
    def consuming(self) -> bool:
        """True while a started consumer is running."""
        return self._consumer is not None and self._task is not None and not self._task.done()

    def start(self) -> None:
        """Begin in the background; returns at once."""
        if self._task is not None:
            raise RuntimeError("the pipeline is already started")
        # The engine process is ours: keep the garbage collector from rescanning every object
        # made at start-up each time trades stream through (a fifth of the CPU otherwise).
        gc.freeze()
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="candle-pipeline")

    async def stop(self) -> None:
        """Finish the batch in hand, save the states, commit, leave the group."""
        self._stopping.set()
        consumer, task = self._consumer, self._task
        if consumer is not None:
            await consumer.stop()
        if task is not None:
            await task
        self._task = None

    async def abort(self) -> None:
        """Stop at once, saving nothing, as if the process died (for tests)."""
        self._stopping.set()
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while not self._stopping.is_set():
            consumer: BatchConsumer | None = None
            try:
                await self._wait_for_dependencies()
                if self._stopping.is_set():
                    return
                consumer = self._consumer = self._build()
                await consumer.start()
                metrics.PIPELINE_UP.set(1)
                self.failures = 0
                await consumer.run()
            except Exception as exc:  # the consumer starts over; the service stays up
                self.failures += 1
                log.error("candle pipeline failed (%d in a row)", self.failures, exc_info=exc)
            finally:
                metrics.PIPELINE_UP.set(0)
                self._consumer = None
                if consumer is not None:
                    await consumer.close()
            if self.failures and not self._stopping.is_set():
                low, high = self._backoff_s
                await self._sleep(min(high, low * 2 ** (self.failures - 1)))

    async def _wait_for_dependencies(self) -> None:
        """Return once every store answers (the supervisor connects them meanwhile)."""
        waited = False
        while not self._stopping.is_set():
            try:
                for dependency in self._dependencies:
                    await dependency.ping()
                return
            except Exception as exc:  # not connected yet, or down: wait and ask again
                if not waited:
                    log.info("candle pipeline waiting for its stores: %s", exc)
                    waited = True
                await self._sleep(0.5)

    async def _sleep(self, seconds: float) -> None:
        # Not asyncio.wait_for: on Python 3.11 it loses a cancellation that comes as it ends.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._stopping.wait()
