"""A consumer for handlers that take whole batches and keep their own state per partition.

When exactly-once effect matters, a consumer stores its offsets *with* its state (as
aiokafka's examples recommend) and seeks there on assignment; Kafka's committed offset
then only follows. ``BatchConsumer`` does the Kafka side of that:

- a newly assigned partition is paused until ``handler.load`` says where to read it from
  (its stored offset, or None for the group's committed offset); a load failing on a
  transient error is retried while the other partitions go on;
- records are polled for up to ``linger_ms`` or ``max_batch`` records, and go by partition
  (possibly none: a timer tick) to ``handler.handle``, which returns the next offsets to
  commit of work now durable (it may keep one batch's writes in flight and report them
  at the next call); it returns None when it abandoned work (a stop or a rebalance while
  it was retrying) and dropped its state, and every partition is then loaded again;
- before partitions leave (a rebalance, or ``stop``), the in-flight batch may finish,
  then ``handler.release`` saves what they hold and its offsets are committed;
- after ``handle`` raised, or the run was cancelled (a crash), nothing is released or
  committed: the state may hold work that is not durable.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import ConsumerStoppedError, KafkaError

from shared.bus import metrics
from shared.bus.batch_handler import Batch, BatchHandler, Offsets
from shared.bus.batch_partitions import Listener, Partitions, merge
from shared.bus.cancel import raise_lost_cancellation
from shared.bus.errors import Classifier, classify_error
from shared.bus.options import ConsumerOptions

log = logging.getLogger(__name__)

YIELDS = 3
"""Event-loop turns for aiokafka to go from "records drained" to fetch requests sent."""

__all__ = ["Batch", "BatchConsumer", "BatchHandler"]


class BatchConsumer:
    """One member of a consumer group over ``topics``, feeding ``handler`` whole batches.

    For one use: ``start``, ``run`` (in a task) until ``stop``, ``close``; make a new one to
    start over (its handler restores the partitions from their saved states).
    """

    name = "kafka-batch-consumer"

    def __init__(
        self,
        *,
        bootstrap_servers: str,
        group_id: str,
        topics: Sequence[str],
        handler: BatchHandler,
        options: ConsumerOptions | None = None,
        classifier: Classifier = classify_error,
        linger_ms: int = 0,
        fetch_max_bytes: int = 1024 * 1024,
    ) -> None:
        self.group_id = group_id
        self._bootstrap = bootstrap_servers
        self._topics = list(topics)
        self._handler = handler
        self._options = options or ConsumerOptions()
        self._linger_s = linger_ms / 1000
        self._fetch_max_bytes = fetch_max_bytes
        self._parts = Partitions(handler, classifier, self._commit, self._options.rebalance_wait_s)
        self._stopping = asyncio.Event()
        self._running: asyncio.Future[None] | None = None

    async def start(self) -> None:
        """Connect and join the group; raise if Kafka cannot be reached."""
        if self._parts.consumer is not None:
            return
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            group_id=self.group_id,
            max_partition_fetch_bytes=self._fetch_max_bytes,
            **self._options.aiokafka_config(),
        )
        consumer.subscribe(self._topics, listener=Listener(self._parts))
        self._parts.consumer = consumer  # the listener may run before start() returns
        try:
            await consumer.start()
        except BaseException:
            self._parts.consumer = None
            await consumer.stop()
            raise

    async def run(self) -> None:
        """Consume until ``stop()``; raises what the handler raised, releasing nothing."""
        consumer = self._require()
        self._running = asyncio.get_running_loop().create_future()
        try:
            while not self._stopping.is_set():
                raise_lost_cancellation()
                await self._step(consumer)
            async with self._parts.lock:
                await self._parts.release(set(self._parts.loaded))
        except ConsumerStoppedError:
            pass
        except BaseException:
            self._parts.broken = True
            raise
        finally:
            self._running.set_result(None)

    async def stop(self) -> None:
        """Let the batch in hand finish (or be abandoned), release and commit, stop running."""
        self._stopping.set()
        self._parts.interrupt.set()
        if self._running is not None:
            await asyncio.shield(self._running)

    async def close(self) -> None:
        """Stop and leave the group; safe when never started."""
        await self.stop()
        await self._handler.close()
        consumer, self._parts.consumer = self._parts.consumer, None
        if consumer is not None:
            await consumer.stop()
        for tp in self._parts.loaded | self._parts.pending:
            with contextlib.suppress(KeyError):
                metrics.CONSUMER_LAG.remove(self.group_id, tp.topic, str(tp.partition))

    async def _step(self, consumer: AIOKafkaConsumer) -> None:
        if self._parts.pending:
            retry_in = await self._parts.load(consumer)
            if retry_in:
                await self._pause(retry_in)
        try:
            fetched = await self._fetch(consumer)
        except KafkaError as exc:
            if not exc.retriable:
                raise
            log.warning("polling %s failed, retrying: %s", self.group_id, exc)
            await self._pause(self._options.poll_timeout_ms / 1000)
            return
        self._parts.interrupt.clear()
        async with self._parts.lock:
            epoch, held = self._parts.epoch, frozenset(self._parts.loaded)
            records = {tp: rs for tp, rs in fetched.items() if tp in held}

            def keep_going() -> bool:
                return not self._stopping.is_set() and self._parts.epoch == epoch

            batch = Batch(records, keep_going, self._highwater, held, self._pause)
            offsets = await self._handler.handle(batch)
            if offsets is None:
                self._parts.reload_all(consumer)
                return
        await self._commit(offsets)

    async def _fetch(self, consumer: AIOKafkaConsumer) -> dict[TopicPartition, list[Any]]:
        """Poll, then keep polling for up to ``linger_ms`` while records keep coming."""
        limit = self._options.max_batch
        fetched: dict[TopicPartition, list[Any]] = {}
        count = merge(
            fetched,
            await consumer.getmany(timeout_ms=self._options.poll_timeout_ms, max_records=limit),
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._linger_s
        while 0 < count < limit and not self._stopping.is_set():
            left = deadline - loop.time()
            if left <= 0:
                break
            more = await consumer.getmany(timeout_ms=int(left * 1000), max_records=limit - count)
            count += merge(fetched, more)
        # Draining a partition wakes aiokafka's fetch task, which sends the next requests only
        # when the event loop runs it: let it, so the brokers prepare the next batch while
        # this one is handled (a handler busy for tens of milliseconds would delay them).
        for _ in range(YIELDS):
            await asyncio.sleep(0)
        return fetched

    async def _commit(self, offsets: Offsets) -> None:
        consumer = self._parts.consumer
        if consumer is None:
            return
        assigned = consumer.assignment()
        wanted = {tp: offset for tp, offset in offsets.items() if tp in assigned}
        if not wanted:
            return
        try:
            await consumer.commit(wanted)
        except KafkaError as exc:  # the stored state holds the position; this only follows
            log.warning("committing %s for %s failed: %s", wanted, self.group_id, exc)
            return
        for tp, offset in wanted.items():
            highwater = self._highwater(tp)
            if highwater is not None:
                labels = (self.group_id, tp.topic, str(tp.partition))
                metrics.CONSUMER_LAG.labels(*labels).set(max(0, highwater - offset))

    def _highwater(self, tp: TopicPartition) -> int | None:
        consumer = self._parts.consumer
        if consumer is None or tp not in consumer.assignment():
            return None
        highwater: int | None = consumer.highwater(tp)
        return highwater

    async def _pause(self, seconds: float) -> None:
        # Not asyncio.wait_for: on Python 3.11 it loses a cancellation that comes as it ends.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._parts.interrupt.wait()

    def _require(self) -> AIOKafkaConsumer:
        if self._parts.consumer is None:
            raise RuntimeError("BatchConsumer is not started")
        return self._parts.consumer
