"""The command line's line to the order processor: publish a command, read what answers it.

The events topic is read without a consumer group, every partition from its end, and the
positions are fixed before the command is published, so no answer can slip past.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from types import TracebackType
from typing import Self

from aiokafka import AIOKafkaConsumer
from aiokafka.errors import UnknownTopicOrPartitionError

from order_processor.cli_wait import Conversation
from shared.bus.producer import KafkaPublisher
from shared.clock import Clock, SystemClock
from shared.messages.codec import DecodeError, decode
from shared.messages.envelope import Envelope, Payload, new_envelope

PRODUCER = "tickstream-cli"
SETTLE_S = 0.3
"""How long to keep reading once done: events of the same transaction may trail the answer."""


class ChannelError(Exception):
    """The bus is not usable (a topic is missing)."""


class OrderChannel:
    """Publishes commands to ``commands_topic`` and reads ``events_topic`` from now on."""

    def __init__(
        self,
        bootstrap_servers: str,
        commands_topic: str,
        events_topic: str,
        *,
        clock: Clock | None = None,
    ) -> None:
        self._bootstrap = bootstrap_servers
        self._commands_topic = commands_topic
        self._events_topic = events_topic
        self._clock = clock or SystemClock()
        self._publisher = KafkaPublisher(bootstrap_servers, client_id=PRODUCER, linger_ms=0)
        self._consumer: AIOKafkaConsumer | None = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def start(self) -> None:
        """Connect, and fix the events' read positions at their current ends."""
        # Failed connection attempts are reported by the exception; aiokafka's own error
        # logs would only repeat them.
        logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
        try:
            await self._subscribe()
            await self._publisher.start()
        except BaseException:
            await self.close()
            raise

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        consumer, self._consumer = self._consumer, None
        try:
            if consumer is not None:
                await consumer.stop()
        finally:
            await self._publisher.close()

    async def _subscribe(self) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            group_id=None,  # every partition: an answer may come on any of them
            enable_auto_commit=False,
            auto_offset_reset="latest",
            client_id=PRODUCER,
        )
        consumer.subscribe([self._events_topic])
        self._consumer = consumer
        try:
            await consumer.start()  # waits for the topic's metadata, then assigns it all
        except UnknownTopicOrPartitionError:
            raise ChannelError(
                f"Kafka has no topic {self._events_topic} (create it with `tickstream topics`)"
            ) from None
        partitions = sorted(consumer.assignment())
        await consumer.seek_to_end(*partitions)
        for partition in partitions:
            await consumer.position(partition)  # resolves the end offset now, not later

    async def send(self, payload: Payload) -> Envelope[Payload]:
        """Publish one command (acknowledged by the brokers); its envelope."""
        envelope: Envelope[Payload] = new_envelope(payload, clock=self._clock, producer=PRODUCER)
        await self._publisher.publish(envelope, topic=self._commands_topic)
        return envelope

    async def listen(
        self,
        conversation: Conversation,
        deadline: float,
        on_event: Callable[[Envelope[Payload]], None],
    ) -> None:
        """Offer events to ``conversation`` until it is done (and settled) or ``deadline``
        (``time.monotonic()``) passes; ``on_event`` sees each event it takes."""
        consumer = self._consumer
        if consumer is None:
            raise RuntimeError("OrderChannel is not started")
        settled: float | None = None
        while (now := time.monotonic()) < (deadline if settled is None else min(settled, deadline)):
            wait_ms = max(1, min(200, int(((settled or deadline) - now) * 1000)))
            batch = await consumer.getmany(timeout_ms=wait_ms, max_records=1000)
            for records in batch.values():
                for record in records:
                    envelope = _decoded(record.value, record.headers)
                    if envelope is not None and conversation.offer(envelope):
                        on_event(envelope)
            if settled is None and conversation.done:
                settled = time.monotonic() + SETTLE_S


def _decoded(
    value: bytes | None, headers: list[tuple[str, bytes]] | None
) -> Envelope[Payload] | None:
    try:
        return decode(value, list(headers or ()))
    except DecodeError:
        # Not an answer to this command, whatever it is: bad events are the business of
        # their producer and its consumers, not of a watcher that reads them all.
        return None
