"""The backtest requests' lane: a member of the backtests consumer group whose jobs run as
tasks while it keeps polling.

A backtest may take minutes. A consumer that awaited it between two polls would pass
``max_poll_interval_ms`` and be put out of its group (aiokafka leaves it when no fetch ran
for that long), so each record runs as a task and the lane goes on polling; while
``slots`` jobs are under way its partitions are paused, so the polls fetch nothing more.
Each record goes through the bus's ``Dispatcher`` (decode, handle, publish the answer,
retries, dead letters) and its offset is committed, contiguously, once its answer is
stored and acknowledged. A stop or a rebalance leaves jobs that did not finish uncommitted:
their requests come again (to this member or the partition's next owner).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import ConsumerStoppedError, KafkaError

from shared.bus.cancel import raise_lost_cancellation
from shared.bus.dispatch import Dispatcher, Outcome
from shared.bus.options import ConsumerOptions
from shared.bus.progress import Progress
from shared.bus.types import Handlers, Publisher
from shared.clock import Clock
from strategy_workers.runtime.records import record_of

log = logging.getLogger(__name__)


class BacktestLane:
    """Consumes ``topic`` in ``group_id``, running up to ``slots`` jobs at once."""

    def __init__(
        self,
        *,
        bootstrap_servers: str,
        group_id: str,
        topic: str,
        handlers: Handlers,
        publisher: Publisher,
        slots: int = 1,
        options: ConsumerOptions | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.group_id = group_id
        self._bootstrap = bootstrap_servers
        self._topic = topic
        self._slots = max(1, slots)
        self._options = options or ConsumerOptions(poll_timeout_ms=200)
        self._dispatcher = Dispatcher(
            handlers=handlers, publisher=publisher, consumer=group_id, clock=clock
        )
        self._consumer: AIOKafkaConsumer | None = None
        self._progress: Progress | None = None
        self._stopping = asyncio.Event()
        self._jobs: set[asyncio.Task[None]] = set()
        self._failure: BaseException | None = None

    async def start(self) -> None:
        """Connect and join the group; raise if Kafka cannot be reached."""
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            group_id=self.group_id,
            **self._options.aiokafka_config(),
        )
        progress = Progress(consumer, self.group_id, self._options, lambda: None)
        consumer.subscribe([self._topic], listener=progress.listener)
        try:
            await consumer.start()
        except BaseException:
            await consumer.stop()
            raise
        self._consumer, self._progress = consumer, progress

    async def run(self) -> None:
        """Poll and run jobs until ``stop()``; raises when Kafka fails for good or a job
        met a fatal error. Jobs still running then are abandoned, uncommitted."""
        consumer, progress = self._require()
        try:
            while not self._stopping.is_set():
                raise_lost_cancellation()
                self._reap()
                await self._poll(consumer, progress)
                await progress.commit()
        except ConsumerStoppedError:
            pass
        finally:
            await self._abandon()
            await progress.commit()

    async def stop(self) -> None:
        """End ``run`` at its next poll."""
        self._stopping.set()

    async def close(self) -> None:
        """Stop and leave the group."""
        self._stopping.set()
        await self._abandon()
        consumer, self._consumer = self._consumer, None
        if consumer is not None:
            await consumer.stop()

    async def _poll(self, consumer: AIOKafkaConsumer, progress: Progress) -> None:
        held = consumer.assignment()
        free = self._slots - len(self._jobs)
        if free > 0:
            consumer.resume(*held)
        else:
            consumer.pause(*held)  # polls go on (the group keeps us); nothing is fetched
        try:
            fetched = await consumer.getmany(
                timeout_ms=self._options.poll_timeout_ms, max_records=max(1, free)
            )
        except KafkaError as exc:
            if not exc.retriable:
                raise
            log.warning("polling %s failed, retrying: %s", self.group_id, exc)
            await asyncio.sleep(self._options.poll_timeout_ms / 1000)
            return
        epoch, held = progress.epoch, consumer.assignment()
        for tp, records in fetched.items():
            if tp not in held:
                continue  # records of a partition that just left
            progress.track(tp, (r.offset for r in records))
            for kafka_record in records:
                job = asyncio.create_task(self._job(progress, epoch, tp, kafka_record))
                self._jobs.add(job)
                job.add_done_callback(self._ended)

    async def _job(
        self,
        progress: Progress,
        epoch: int,
        tp: TopicPartition,
        kafka_record: ConsumerRecord[Any, Any],
    ) -> None:
        def keep_going() -> bool:
            return not self._stopping.is_set() and progress.epoch == epoch

        record = record_of(kafka_record)
        outcome = await self._dispatcher.dispatch(record, keep_going)
        if outcome is not Outcome.ABANDONED and progress.epoch == epoch:
            progress.done(tp, record.offset)  # else its partition moved: it comes again

    def _ended(self, job: asyncio.Task[None]) -> None:
        self._jobs.discard(job)
        if not job.cancelled() and job.exception() is not None and self._failure is None:
            self._failure = job.exception()

    def _reap(self) -> None:
        """Raise the error of a job that failed fatally (the lane starts over)."""
        if self._failure is not None:
            raise RuntimeError("a backtest job failed") from self._failure

    async def _abandon(self) -> None:
        jobs = list(self._jobs)
        for job in jobs:
            job.cancel()
        if jobs:
            await asyncio.wait(jobs)

    def _require(self) -> tuple[AIOKafkaConsumer, Progress]:
        if self._consumer is None or self._progress is None:
            raise RuntimeError("BacktestLane is not started")
        return self._consumer, self._progress
