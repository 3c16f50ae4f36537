"""Per-partition progress of a Kafka consumer: offset trackers, commits, lag, rebalances."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Collection, Iterable

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import KafkaError

from shared.bus import metrics
from shared.bus.offsets import OffsetTracker
from shared.bus.options import ConsumerOptions

log = logging.getLogger(__name__)


class Progress:
    """Offsets done per partition, committed contiguously; dropped when partitions leave.

    ``epoch`` grows on every revocation, so the loop can tell that records it fetched
    before belong to an assignment that is gone.
    """

    def __init__(
        self,
        consumer: AIOKafkaConsumer,
        group_id: str,
        options: ConsumerOptions,
        on_revoke: Callable[[], None],
    ) -> None:
        self.epoch = 0
        self.listener = _Listener(self)
        self._consumer = consumer
        self._group = group_id
        self._options = options
        self._on_revoke = on_revoke
        self._trackers: dict[TopicPartition, OffsetTracker] = {}
        self._committed: dict[TopicPartition, int] = {}
        self._idle = asyncio.Event()
        self._idle.set()
        self._lag_labels: set[tuple[str, str, str]] = set()

    def track(self, tp: TopicPartition, offsets: Iterable[int]) -> None:
        """Note fetched records before any of them is handled."""
        tracker = self._trackers.setdefault(tp, OffsetTracker())
        for offset in offsets:
            tracker.track(offset)

    def done(self, tp: TopicPartition, offset: int) -> None:
        """Note a record's outcome is durable (ignored if its partition was revoked)."""
        tracker = self._trackers.get(tp)
        if tracker is not None:
            tracker.done(offset)

    @contextlib.asynccontextmanager
    async def in_flight(self) -> AsyncIterator[None]:
        """Marks the time a record is being handled; revocation waits for it."""
        self._idle.clear()
        try:
            yield
        finally:
            self._idle.set()

    async def commit(self, only: Collection[TopicPartition] | None = None) -> None:
        """Commit every partition's contiguous done offset that moved since last time.

        A failed commit is logged, not raised: its records will be delivered again (to
        this member or the partition's next owner), which at-least-once allows.
        """
        offsets: dict[TopicPartition, int] = {}
        for tp, tracker in self._trackers.items():
            next_offset = tracker.committable()
            if only is not None and tp not in only:
                continue
            if next_offset is not None and next_offset > self._committed.get(tp, -1):
                offsets[tp] = next_offset
        if not offsets:
            return
        epoch = self.epoch
        try:
            await self._consumer.commit(offsets)
        except KafkaError as exc:
            log.warning("committing %s for %s failed: %s", offsets, self._group, exc)
            return
        if epoch == self.epoch:  # else the partitions moved meanwhile; forget them
            self._committed.update(offsets)

    async def report_lag(self) -> None:
        """Refresh the lag gauges every ``lag_interval_s``, also while a handler is stuck."""
        while True:
            try:
                await self.update_lag()
            except Exception:  # a metrics glitch must not stop the consumer
                log.exception("updating consumer lag of %s failed", self._group)
            await asyncio.sleep(self._options.lag_interval_s)

    async def update_lag(self) -> None:
        """Set each assigned partition's lag: highwater minus the offset to commit next."""
        for tp in list(self._consumer.assignment()):
            tracker = self._trackers.get(tp)
            next_offset = tracker.committable() if tracker is not None else None
            if next_offset is None:
                try:
                    next_offset = await asyncio.wait_for(self._consumer.position(tp), 0.5)
                except (TimeoutError, KafkaError):
                    continue
            if tp not in self._consumer.assignment():
                continue  # revoked while waiting
            highwater = self._consumer.highwater(tp)
            if highwater is not None:
                labels = (self._group, tp.topic, str(tp.partition))
                metrics.CONSUMER_LAG.labels(*labels).set(max(0, highwater - next_offset))
                self._lag_labels.add(labels)

    def clear_lag(self, partitions: Collection[TopicPartition] | None = None) -> None:
        """Drop the lag gauges of partitions this member no longer reads (default: all)."""
        for labels in list(self._lag_labels):
            if partitions is None or TopicPartition(labels[1], int(labels[2])) in partitions:
                self._lag_labels.discard(labels)
                with contextlib.suppress(KeyError):
                    metrics.CONSUMER_LAG.remove(*labels)

    async def revoke(self, revoked: Collection[TopicPartition]) -> None:
        """Before partitions move: stop retries, let the in-flight record end, commit."""
        self.epoch += 1
        self._on_revoke()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), self._options.rebalance_wait_s)
        await self.commit(only=revoked)
        for tp in revoked:
            self._trackers.pop(tp, None)
            self._committed.pop(tp, None)
        self.clear_lag(revoked)


class _Listener(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, progress: Progress) -> None:
        self._progress = progress

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        log.info("partitions revoked: %s", sorted(revoked))
        await self._progress.revoke(revoked)

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        log.info("partitions assigned: %s", sorted(assigned))
