"""The Kafka consumer loop: dispatch each record, commit contiguously what is done.

At-least-once, with these guarantees:

- an offset is committed only after ``Dispatcher.dispatch`` returned ``HANDLED`` or
  ``DEAD_LETTERED`` for it *and* for every earlier record of its partition (so the
  handler's work, its published messages or its dead letter are durable first);
- a record whose handler is stuck on an infrastructure outage is retried until the
  outage ends, or abandoned *uncommitted* on ``stop()`` or when its partition is revoked;
- before partitions are revoked, what is done is committed and their state dropped.

Records are handled one at a time, in partition order. A handler blocked past
``max_poll_interval_ms`` makes aiokafka leave the group; its partitions are then revoked
(the record abandoned) and the loop rejoins on its next poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Collection, Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import ConsumerStoppedError, KafkaError

from shared.bus.cancel import raise_lost_cancellation
from shared.bus.dispatch import Dispatcher, Outcome
from shared.bus.errors import Classifier, classify_error
from shared.bus.options import ConsumerOptions
from shared.bus.progress import Progress
from shared.bus.retry import RetryPolicy
from shared.bus.types import Handlers, Publisher, Record, Sleep
from shared.clock import Clock

log = logging.getLogger(__name__)


class ConsumerLoop:
    """One member of a consumer group over ``topics``; a ``Resource`` plus ``run``/``stop``.

    ``start()`` connects and joins the group; ``run()`` consumes until ``stop()``;
    ``close()`` stops and leaves the group. ``ping()`` is a bounded metadata request and
    also fails once ``run()`` has died.
    """

    name = "kafka-consumer"

    def __init__(
        self,
        *,
        bootstrap_servers: str,
        group_id: str,
        topics: Sequence[str],
        handlers: Handlers,
        publisher: Publisher,
        policy: RetryPolicy | None = None,
        classifier: Classifier = classify_error,
        ignored_types: Collection[str] = (),
        options: ConsumerOptions | None = None,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.group_id = group_id
        self._bootstrap = bootstrap_servers
        self._topics = list(topics)
        self._options = options or ConsumerOptions()
        self._dispatcher = Dispatcher(
            handlers=handlers,
            publisher=publisher,
            consumer=group_id,
            policy=policy,
            classifier=classifier,
            ignored_types=ignored_types,
            clock=clock,
            sleep=sleep or self._sleep_unless_interrupted,
            rng=rng,
        )
        self._consumer: AIOKafkaConsumer | None = None
        self._progress: Progress | None = None
        self._stopping = asyncio.Event()
        self._interrupt = asyncio.Event()
        self._running: asyncio.Future[None] | None = None
        self._failure: BaseException | None = None

    async def start(self) -> None:
        """Connect and join the group; raise if Kafka cannot be reached."""
        if self._consumer is not None:
            return
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            group_id=self.group_id,
            **self._options.aiokafka_config(),
        )
        progress = Progress(consumer, self.group_id, self._options, self._on_revoke)
        consumer.subscribe(self._topics, listener=progress.listener)
        try:
            await consumer.start()
        except BaseException:
            await consumer.stop()
            raise
        self._consumer, self._progress = consumer, progress
        self._stopping.clear()
        self._failure = None

    async def ping(self) -> None:
        """Raise if the loop died or Kafka does not answer a metadata request in time."""
        if self._failure is not None:
            raise RuntimeError(f"consumer loop {self.group_id} failed") from self._failure
        consumer, _ = self._require()
        await asyncio.wait_for(consumer.topics(), self._options.ping_timeout_s)

    async def run(self) -> None:
        """Consume and dispatch until ``stop()``; raises only on unrecoverable errors."""
        if self._stopping.is_set():
            return  # stopped (or closed) before the task got to run
        consumer, progress = self._require()
        self._running = asyncio.get_running_loop().create_future()
        lag = asyncio.create_task(progress.report_lag())
        try:
            while not self._stopping.is_set():
                raise_lost_cancellation()
                await self._poll_once(consumer, progress)
        except ConsumerStoppedError:
            pass
        except BaseException as exc:
            self._failure = exc
            raise
        finally:
            lag.cancel()
            await asyncio.wait([lag])
            try:
                await progress.commit()
            finally:
                self._running.set_result(None)

    async def stop(self) -> None:
        """Let the in-flight record finish (or abandon its retries), commit, stop running."""
        self._stopping.set()
        self._interrupt.set()
        if self._running is not None:
            await asyncio.shield(self._running)

    async def close(self) -> None:
        """Stop, commit and leave the group; safe when never started."""
        await self.stop()
        consumer, self._consumer = self._consumer, None
        progress, self._progress = self._progress, None
        if progress is not None:
            progress.clear_lag()
        if consumer is not None:
            await consumer.stop()

    async def _poll_once(self, consumer: AIOKafkaConsumer, progress: Progress) -> None:
        try:
            batch = await consumer.getmany(
                timeout_ms=self._options.poll_timeout_ms, max_records=self._options.max_batch
            )
        except KafkaError as exc:
            if not exc.retriable:
                raise
            log.warning("polling %s failed, retrying: %s", self.group_id, exc)
            await self._sleep_unless_interrupted(self._options.poll_timeout_ms / 1000)
            return
        epoch = progress.epoch
        self._interrupt.clear()
        assigned = consumer.assignment()  # records of a partition that just left are skipped
        batch = {tp: records for tp, records in batch.items() if tp in assigned}
        for tp, records in batch.items():
            progress.track(tp, (r.offset for r in records))
        for tp, records in batch.items():
            for kafka_record in records:
                if self._stopping.is_set() or progress.epoch != epoch:
                    break
                await self._handle(progress, tp, kafka_record, epoch)
        await progress.commit()

    async def _handle(
        self,
        progress: Progress,
        tp: TopicPartition,
        kafka_record: ConsumerRecord[Any, Any],
        epoch: int,
    ) -> None:
        def keep_going() -> bool:
            return not self._stopping.is_set() and progress.epoch == epoch

        record = Record(
            topic=kafka_record.topic,
            partition=kafka_record.partition,
            offset=kafka_record.offset,
            key=kafka_record.key,
            value=kafka_record.value,
            headers=tuple(kafka_record.headers),
        )
        async with progress.in_flight():
            outcome = await self._dispatcher.dispatch(record, keep_going)
            if outcome is not Outcome.ABANDONED:
                progress.done(tp, record.offset)

    def _on_revoke(self) -> None:
        self._interrupt.set()

    async def _sleep_unless_interrupted(self, seconds: float) -> None:
        # Not asyncio.wait_for: on Python 3.11 it loses a cancellation that comes as it ends.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._interrupt.wait()

    def _require(self) -> tuple[AIOKafkaConsumer, Progress]:
        if self._consumer is None or self._progress is None:
            raise RuntimeError("ConsumerLoop is not started")
        return self._consumer, self._progress
