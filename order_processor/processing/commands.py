"""``orders.commands`` through a ``BatchConsumer``: offsets live in the ledger with the state.

On assignment the engine is rebuilt for the accounts of every partition held, and each
partition resumes at the offset stored with the ledger (Kafka's committed offset only
follows). A record that cannot be decoded, or is no order command, goes to the DLQ with its
reason; a valid command is applied once (the inbox), in the batch's transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping

from aiokafka import TopicPartition

from order_processor.processing.ledger import Ledger, Offsets, partition_of
from shared.bus.batch_handler import Batch
from shared.bus.dlq import REASON_NO_HANDLER, dead_letter_headers, dlq_topic
from shared.bus.producer import KafkaPublisher
from shared.messages import Envelope, Payload
from shared.messages.codec import DecodeError, decode
from shared.trading.engine import COMMAND_HANDLERS

log = logging.getLogger(__name__)


class CommandBatches:
    """The ``BatchHandler`` of the order commands topic."""

    def __init__(self, ledger: Ledger, publisher: KafkaPublisher, topic: str, partitions: int):
        self._ledger = ledger
        self._publisher = publisher
        self._topic = topic
        self._partitions = partitions
        self._held: set[int] = set()

    async def _stored(self, parts: Collection[TopicPartition]) -> dict[TopicPartition, int | None]:
        async with self._ledger.pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT topic, partition, next_offset FROM consumer_offsets "
                "WHERE consumer = $1 AND topic = $2",
                self._ledger.consumer,
                self._topic,
            )
        stored = {(r["topic"], r["partition"]): r["next_offset"] for r in rows}
        return {tp: stored.get((tp.topic, tp.partition)) for tp in parts}

    async def load(
        self, partitions: Collection[TopicPartition]
    ) -> Mapping[TopicPartition, int | None]:
        self._held |= {tp.partition for tp in partitions}
        await self._rebuild()
        return await self._stored(partitions)

    async def _rebuild(self) -> None:
        held, n = frozenset(self._held), self._partitions
        async with self._ledger.lock:
            await self._ledger.rebuild(lambda account: partition_of(account, n) in held)

    async def handle(self, batch: Batch) -> Mapping[TopicPartition, int] | None:
        commands: list[Envelope[Payload]] = []
        offsets: Offsets = {}
        next_offsets: dict[TopicPartition, int] = {}
        for tp, records in batch.records.items():
            for record in records:
                try:
                    envelope = decode(record.value, record.headers)
                except DecodeError as exc:
                    await self._dead_letter(record, exc.reason, exc.detail)
                    continue
                if type(envelope.payload) not in COMMAND_HANDLERS:
                    # a valid message but no command: the engine would refuse it on every retry
                    detail = f"{envelope.type} is not an order command"
                    await self._dead_letter(record, REASON_NO_HANDLER, detail)
                    continue
                commands.append(envelope)
            if records:
                offsets[(tp.topic, tp.partition)] = records[-1].offset + 1
                next_offsets[tp] = records[-1].offset + 1
        if offsets:
            await self._ledger.apply_commands(commands, offsets)
        return next_offsets

    async def _dead_letter(self, record: object, reason: str, detail: str) -> None:
        headers = dead_letter_headers(
            record,  # type: ignore[arg-type]
            reason=reason,
            detail=detail,
            consumer=self._ledger.consumer,
            ts_ns=self._ledger.clock.now_ns(),
        )
        topic = dlq_topic(record.topic)  # type: ignore[attr-defined]
        await self._publisher.publish_raw(topic, record.key, record.value, headers)  # type: ignore[attr-defined]
        log.warning("command dead-lettered: %s: %s", reason, detail)

    async def release(self, partitions: Collection[TopicPartition]) -> Mapping[TopicPartition, int]:
        self._held -= {tp.partition for tp in partitions}
        await self._rebuild()  # the accounts that left must not be worked here any more
        stored = await self._stored(partitions)
        return {tp: o for tp, o in stored.items() if o is not None}

    async def close(self) -> None:
        return None
