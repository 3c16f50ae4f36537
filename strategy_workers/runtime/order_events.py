"""The strategies' own order events: every partition of ``orders.events``, from its end.

Each worker reads all of them without a consumer group (a strategy's account may be keyed
to any partition) and hands an event to the strategy it names when that strategy runs
here. The feed is positioned at the end before any book is restored from the ledger: an
event published after that point arrives here; one published before it describes a fill
already in the ledger (the order processor publishes after committing), and a fill met
twice is booked once (by fill id).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from shared.bus.types import AnyEnvelope, Handler, Publisher
from shared.messages.codec import DecodeError, decode
from strategy_workers.adapters.partitions import partition_count
from strategy_workers.runtime.delivery import deliver
from strategy_workers.runtime.desk import Desk

log = logging.getLogger(__name__)


class OrderEventsFeed:
    """Reads order events and feeds them to the strategies, in batches, under the lock."""

    def __init__(
        self,
        desk: Desk,
        handlers: Mapping[str, Handler],
        publisher: Publisher,
        bootstrap_servers: str,
        topic: str,
        *,
        client_id: str | None = None,
    ) -> None:
        self._desk = desk
        self._handlers = handlers
        self._publisher = publisher
        self._bootstrap = bootstrap_servers
        self._topic = topic
        self._client_id = client_id
        self.ready = asyncio.Event()
        """Set once every partition's position is fixed at its end."""

    async def run(self, stop: asyncio.Event) -> None:
        """Read until ``stop`` is set; raises when Kafka fails (the worker starts over)."""
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            group_id=None,  # every partition, in every worker
            enable_auto_commit=False,
            isolation_level="read_committed",
            client_id=self._client_id,
        )
        await consumer.start()
        try:
            count = await partition_count(self._bootstrap, self._topic)
            partitions = [TopicPartition(self._topic, p) for p in range(count)]
            consumer.assign(partitions)
            await consumer.seek_to_end(*partitions)
            for tp in partitions:  # resolve the ends now, not at the first fetch
                await consumer.position(tp)
            self.ready.set()
            while not stop.is_set():
                batch = await consumer.getmany(timeout_ms=200, max_records=1000)
                if batch:
                    await self._feed(batch)
        finally:
            await consumer.stop()

    async def _feed(self, batch: Mapping[TopicPartition, list[Any]]) -> None:
        envelopes: list[AnyEnvelope] = []
        for records in batch.values():
            for record in records:
                try:
                    envelopes.append(decode(record.value, list(record.headers or ())))
                except DecodeError as exc:  # the order processor's, not ours to dead-letter
                    log.debug("order event record skipped: %s", exc)
        desk = self._desk
        async with desk.lock:
            out: list[AnyEnvelope] = []
            for envelope in envelopes:
                handler = self._handlers.get(envelope.type)
                if handler is not None:
                    out += await handler(envelope) or ()
            await deliver(self._publisher, out)
