"""The Kafka producer: idempotent, ``acks=all``, batched; every publish awaits its ack."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Coroutine, Sequence
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import murmur2

from shared.bus import metrics
from shared.bus.types import AnyEnvelope, Headers
from shared.messages import encode, headers_for, topic_of
from shared.messages.codec import HEADER_TYPE

RawRecord = tuple[str, bytes | None, bytes, Headers]
"""An encoded record to publish: topic, key, value, headers."""


class KafkaPublisher:
    """Publishes envelopes to Kafka; a ``Resource`` (start, ping, close).

    The topic and key come from the topic registry (``topic_of(type).key_for(payload)``)
    unless a topic is given. An envelope is encoded once. ``publish`` returns only after
    the brokers acknowledged the record (``acks=all``), so callers may treat it as durable.
    """

    name = "kafka"

    def __init__(
        self,
        bootstrap_servers: str,
        *,
        client_id: str | None = None,
        linger_ms: int = 5,
        max_batch_size: int = 64 * 1024,
        compression_type: str | None = None,
        request_timeout_ms: int = 30_000,
        ping_timeout_s: float = 2.0,
    ) -> None:
        self._options: dict[str, Any] = {
            "bootstrap_servers": bootstrap_servers,
            "client_id": client_id,
            "linger_ms": linger_ms,
            "max_batch_size": max_batch_size,
            "compression_type": compression_type,
            "request_timeout_ms": request_timeout_ms,
        }
        self._ping_timeout_s = ping_timeout_s
        self._producer: AIOKafkaProducer | None = None
        self._background: set[asyncio.Future[None]] = set()  # sends outliving a cancel

    async def start(self) -> None:
        """Connect to the cluster; raise if it cannot be reached."""
        if self._producer is not None:
            return
        producer = AIOKafkaProducer(enable_idempotence=True, acks="all", **self._options)
        try:
            await producer.start()
        except BaseException:
            await producer.stop()
            raise
        self._producer = producer

    async def ping(self) -> None:
        """A metadata request, bounded by ``ping_timeout_s``."""
        producer = self._require()
        await asyncio.wait_for(producer.client.fetch_all_metadata(), self._ping_timeout_s)

    async def close(self) -> None:
        """Send what is buffered, then disconnect."""
        producer, self._producer = self._producer, None
        if producer is not None:
            await producer.stop()

    async def publish(self, envelope: AnyEnvelope, topic: str | None = None) -> None:
        """Publish one envelope and wait for the brokers' acknowledgement."""
        await self.publish_many([envelope], topic=topic)

    async def publish_many(
        self, envelopes: Sequence[AnyEnvelope], topic: str | None = None
    ) -> None:
        """Publish envelopes in per-partition batches, then wait for every ack."""
        rows: list[RawRecord] = []
        for envelope in envelopes:
            registered = topic_of(envelope.type)
            key = registered.key_for(envelope.payload)
            rows.append((topic or registered.name, key, encode(envelope), headers_for(envelope)))
        await self.publish_raw_many(rows)

    async def publish_raw_many(self, rows: Sequence[RawRecord]) -> None:
        """Publish encoded records (topic, key, value, headers) in order, then wait for acks.

        Cancelling the caller does not interrupt the sending: aiokafka's producer is left
        with half-added batches when a send is cancelled midway, and every later send to
        those partitions then waits forever. The records go out (or fail) in the background.
        """
        await self._uninterrupted(self._publish_rows(rows))

    async def _uninterrupted(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        await asyncio.shield(task)

    async def _publish_rows(self, rows: Sequence[RawRecord]) -> None:
        """Send the records, then wait for every ack.

        Records are grouped by (topic, partition) and handed to the producer as whole
        batches (aiokafka's batch API), which costs one future per batch instead of one per
        message. A key goes to the same partition as ``send`` would put it (Kafka's murmur2
        partitioner), and order within a partition is kept. Nothing waits for one record's
        ack before sending the next: the idempotent producer keeps each partition in order.
        """
        producer = self._require()
        groups: dict[tuple[str, int], list[tuple[bytes | None, bytes, Headers]]] = {}
        counts: Counter[tuple[str, str]] = Counter()
        partitions: dict[str, list[int]] = {}
        placed: dict[tuple[str, bytes | None], int] = {}  # murmur2 is pure Python: once per key
        for target, key, value, headers in rows:
            partition = placed.get((target, key), -1)
            if partition < 0:
                known = partitions.get(target)
                if known is None:
                    known = partitions[target] = sorted(await producer.partitions_for(target))
                hashed = murmur2(key) & 0x7FFFFFFF if key is not None else len(placed)
                partition = placed[(target, key)] = known[hashed % len(known)]
            groups.setdefault((target, partition), []).append((key, value, headers))
            counts[(target, _type_of(headers))] += 1
        futures: list[asyncio.Future[Any]] = []
        try:
            for (target, partition), records in groups.items():
                futures += await self._send_batches(producer, target, partition, records)
        finally:
            # Every handed-over batch is awaited, even after a failure, so none is left
            # unobserved; the first error is the one reported.
            results = await asyncio.gather(*futures, return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        for (target, message_type), count in counts.items():
            if errors:
                metrics.PRODUCE_ERRORS.labels(target).inc(count)
            else:
                metrics.PRODUCED.labels(target, message_type).inc(count)
        if errors:
            raise errors[0]

    @staticmethod
    async def _send_batches(
        producer: AIOKafkaProducer,
        topic: str,
        partition: int,
        records: list[tuple[bytes | None, bytes, Headers]],
    ) -> list[asyncio.Future[Any]]:
        futures: list[asyncio.Future[Any]] = []
        batch = producer.create_batch()
        for key, value, headers in records:
            if batch.append(key=key, value=value, timestamp=None, headers=headers) is not None:
                continue
            if batch.record_count():
                futures.append(await producer.send_batch(batch, topic, partition=partition))
                batch = producer.create_batch()
                if batch.append(key=key, value=value, timestamp=None, headers=headers):
                    continue
            # Larger than a whole batch: the producer's own path sizes it.
            futures.append(
                await producer.send(topic, value, key=key, partition=partition, headers=headers)
            )
        if batch.record_count():
            futures.append(await producer.send_batch(batch, topic, partition=partition))
        return futures

    async def publish_raw(
        self, topic: str, key: bytes | None, value: bytes | None, headers: Headers
    ) -> None:
        """Publish bytes as they are (dead letters, outbox relay); waits for the ack."""
        await self._uninterrupted(self._publish_one(topic, key, value, headers))

    async def _publish_one(
        self, topic: str, key: bytes | None, value: bytes | None, headers: Headers
    ) -> None:
        producer = self._require()
        future = await producer.send(topic, value=value, key=key, headers=list(headers))
        await self._await_acks([(topic, _type_of(headers), future)])

    async def _await_acks(self, pending: list[tuple[str, str, asyncio.Future[Any]]]) -> None:
        # Every scheduled send is awaited, even after a failure, so none is left unobserved.
        results = await asyncio.gather(*(f for _, _, f in pending), return_exceptions=True)
        first_error: BaseException | None = None
        for (target, message_type, _), result in zip(pending, results, strict=True):
            if isinstance(result, BaseException):
                metrics.PRODUCE_ERRORS.labels(target).inc()
                first_error = first_error or result
            else:
                metrics.PRODUCED.labels(target, message_type).inc()
        if first_error is not None:
            raise first_error

    def _require(self) -> AIOKafkaProducer:
        if self._producer is None:
            raise RuntimeError("KafkaPublisher is not started")
        return self._producer


def _type_of(headers: Headers) -> str:
    """The message type a record's headers name ("" when none)."""
    for name, value in headers:
        if name == HEADER_TYPE:
            return value.decode(errors="replace")
    return ""
