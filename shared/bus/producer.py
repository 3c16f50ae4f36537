"""The Kafka producer: idempotent, ``acks=all``, batched; every publish awaits its ack."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from aiokafka import AIOKafkaProducer

from shared.bus import metrics
from shared.bus.types import AnyEnvelope, Headers
from shared.messages import encode, headers_for, topic_of
from shared.messages.codec import HEADER_TYPE


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
        """Hand all envelopes to the producer (they batch), then wait for every ack."""
        producer = self._require()
        pending: list[tuple[str, str, asyncio.Future[Any]]] = []
        try:
            for envelope in envelopes:
                registered = topic_of(envelope.type)
                target = topic or registered.name
                future = await producer.send(
                    target,
                    value=encode(envelope),
                    key=registered.key_for(envelope.payload),
                    headers=headers_for(envelope),
                )
                pending.append((target, envelope.type, future))
        except BaseException:
            # The ones already handed over still complete; observe them, then report
            # the error that stopped the sending.
            await asyncio.gather(*(f for _, _, f in pending), return_exceptions=True)
            raise
        await self._await_acks(pending)

    async def publish_raw(
        self, topic: str, key: bytes | None, value: bytes | None, headers: Headers
    ) -> None:
        """Publish bytes as they are (dead letters, outbox relay); waits for the ack."""
        producer = self._require()
        found = dict(headers)
        message_type = found[HEADER_TYPE].decode(errors="replace") if HEADER_TYPE in found else ""
        future = await producer.send(topic, value=value, key=key, headers=list(headers))
        await self._await_acks([(topic, message_type, future)])

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
