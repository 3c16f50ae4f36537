"""Which partitions a batch consumer holds, and handing them to and from its handler.

A newly assigned partition is paused until ``handler.load`` says where to read it from,
then sought there and resumed. Before partitions leave, the batch in hand may finish (up to
``rebalance_wait_s``), then ``handler.release`` saves them. One lock keeps ``load``,
``handle`` and ``release`` from overlapping; ``epoch`` grows at every revocation so a batch
retrying across one knows to give up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Collection, Mapping
from typing import Any, Protocol

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition

from shared.bus.batch_handler import Offsets
from shared.bus.errors import Classifier, ErrorKind

log = logging.getLogger(__name__)


class Loader(Protocol):
    """The part of a batch handler that takes partitions over and gives them back."""

    async def load(
        self, partitions: Collection[TopicPartition]
    ) -> Mapping[TopicPartition, int | None]: ...

    async def release(self, partitions: Collection[TopicPartition]) -> Offsets: ...


class Partitions:
    """The loaded and pending partitions of one consumer, and the lock over its handler."""

    def __init__(
        self,
        handler: Loader,
        classifier: Classifier,
        commit: Callable[[Offsets], Awaitable[None]],
        rebalance_wait_s: float,
    ) -> None:
        self.loaded: set[TopicPartition] = set()
        self.pending: set[TopicPartition] = set()
        self.lock = asyncio.Lock()
        self.epoch = 0
        self.broken = False
        """Set after a failure: the handler's state may not be durable; release nothing."""
        self.interrupt = asyncio.Event()
        self.consumer: AIOKafkaConsumer | None = None
        self._handler = handler
        self._classify = classifier
        self._commit = commit
        self._wait_s = rebalance_wait_s
        self._failures = 0

    async def load(self, consumer: AIOKafkaConsumer) -> float:
        """Load the pending partitions; seconds to wait before trying again (0: done)."""
        async with self.lock:
            wanted = self.pending & consumer.assignment()
            self.pending = set(wanted)
            if not wanted:
                return 0.0
            try:
                starts = await self._handler.load(wanted)
                for tp in sorted(wanted):
                    await _seek(consumer, tp, starts.get(tp))
            except Exception as exc:
                if self._classify(exc) is not ErrorKind.TRANSIENT:
                    raise
                self._failures += 1
                log.warning("loading %s failed, retrying: %s", sorted(wanted), exc)
                return min(0.1 * 2.0**self._failures, 5.0)
            self._failures = 0
            consumer.resume(*wanted)
            self.loaded |= wanted
            self.pending.clear()
            return 0.0

    def reload_all(self, consumer: AIOKafkaConsumer) -> None:
        """The handler dropped its state: load every assigned partition again."""
        self.loaded.clear()
        self.pending = set(consumer.assignment())
        consumer.pause(*self.pending)

    async def release(self, leaving: Collection[TopicPartition]) -> None:
        """Save (within the rebalance wait) and commit what ``leaving`` holds; lock held."""
        leaving = set(leaving) & self.loaded
        self.loaded -= leaving
        if not leaving or self.broken:
            return
        try:
            async with asyncio.timeout(self._wait_s):
                offsets = await self._handler.release(leaving)
        except Exception as exc:  # the next owner replays from the last saved state
            log.warning("releasing %s failed: %r", sorted(leaving), exc)
            return
        await self._commit(offsets)

    async def revoke(self, revoked: Collection[TopicPartition]) -> None:
        """Before partitions move: let the batch in hand end, then release them."""
        self.epoch += 1
        self.interrupt.set()
        self.pending -= set(revoked)
        if self.broken:
            return
        try:
            async with asyncio.timeout(self._wait_s):
                await self.lock.acquire()
        except TimeoutError:  # the batch in hand will see the epoch change and abandon
            self.loaded -= set(revoked)
            return
        try:
            await self.release(revoked)
        finally:
            self.lock.release()

    def assign(self, assigned: Collection[TopicPartition]) -> None:
        """Newly assigned partitions wait, paused, for ``load``."""
        if self.consumer is None:
            return
        new = set(assigned) - self.loaded
        self.pending |= new
        self.consumer.pause(*new)
        self.interrupt.set()


async def _seek(consumer: AIOKafkaConsumer, tp: TopicPartition, start: int | None) -> None:
    # Always seek: records fetched while the partition was not loaded were skipped.
    if start is None:
        start = await consumer.committed(tp)
    if start is None:
        await consumer.seek_to_beginning(tp)
    else:
        consumer.seek(tp, start)


class Listener(ConsumerRebalanceListener):  # type: ignore[misc]
    """Forwards aiokafka's rebalance callbacks to ``Partitions``."""

    def __init__(self, partitions: Partitions) -> None:
        self._partitions = partitions

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        log.info("partitions revoked: %s", sorted(revoked))
        await self._partitions.revoke(revoked)

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        log.info("partitions assigned: %s", sorted(assigned))
        self._partitions.assign(assigned)


def merge(into: dict[TopicPartition, list[Any]], more: Mapping[TopicPartition, list[Any]]) -> int:
    """Append ``more``'s records to ``into`` partition by partition; how many were added."""
    added = 0
    for tp, records in more.items():
        into.setdefault(tp, []).extend(records)
        added += len(records)
    return added
