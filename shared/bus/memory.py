"""The in-memory twin of the Kafka bus, for unit and service tests.

``MemoryBus`` publishes like ``KafkaPublisher`` (really encoding, with the same keys and
headers) into per-topic logs, and keeps consumer groups' committed offsets. Each topic is
one partition, which keeps per-key order as Kafka does. ``MemoryConsumer`` (in
``memory_consumer``) consumes them.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence

from shared.bus.types import AnyEnvelope, Headers, Record
from shared.messages import Envelope, Payload, decode, encode, headers_for, topic_of


class MemoryBus:
    """Topics as lists of records; a ``Publisher`` and a ``Resource``.

    Set ``down = True`` to simulate an outage: publishing and ping then raise
    ``ConnectionError`` (a transient error).
    """

    name = "kafka"

    def __init__(self) -> None:
        self.down = False
        self.started = False
        self._logs: dict[str, list[Record]] = defaultdict(list)
        self._committed: dict[tuple[str, str], int] = {}
        self._appended = 0
        self._waiters: list[asyncio.Future[None]] = []

    async def start(self) -> None:
        """Nothing to connect to; honours ``down``."""
        await self.ping()
        self.started = True

    async def ping(self) -> None:
        """Raise if ``down``."""
        if self.down:
            raise ConnectionError("memory bus is down")

    async def close(self) -> None:
        """Forget nothing; just mark closed."""
        self.started = False

    async def publish(self, envelope: AnyEnvelope, topic: str | None = None) -> None:
        """Append one envelope to its topic."""
        await self.publish_many([envelope], topic=topic)

    async def publish_many(
        self, envelopes: Sequence[AnyEnvelope], topic: str | None = None
    ) -> None:
        """Append envelopes to their topics."""
        await self.ping()
        for envelope in envelopes:
            registered = topic_of(envelope.type)
            key = registered.key_for(envelope.payload)
            target = topic or registered.name
            self._append(target, key, encode(envelope), headers_for(envelope))

    async def publish_raw(
        self, topic: str, key: bytes | None, value: bytes | None, headers: Headers
    ) -> None:
        """Append bytes as they are."""
        await self.ping()
        self._append(topic, key, value, headers)

    async def publish_raw_many(
        self, rows: Sequence[tuple[str, bytes | None, bytes, Headers]]
    ) -> None:
        """Append encoded records as they are, in order."""
        await self.ping()
        for topic, key, value, headers in rows:
            self._append(topic, key, value, headers)

    def records(self, topic: str) -> list[Record]:
        """Everything published to a topic, in order."""
        return list(self._logs.get(topic, ()))

    def envelopes(self, topic: str) -> list[Envelope[Payload]]:
        """A topic's records, decoded."""
        return [decode(r.value, list(r.headers)) for r in self.records(topic)]

    def committed(self, group_id: str, topic: str) -> int:
        """The group's committed offset of a topic (0 when nothing was committed)."""
        return self._committed.get((group_id, topic), 0)

    def commit(self, group_id: str, topic: str, offset: int) -> None:
        """Store a group's committed offset."""
        self._committed[(group_id, topic)] = offset

    @property
    def appended(self) -> int:
        """How many records were ever published (to any topic)."""
        return self._appended

    async def wait_for_records(self, seen: int) -> None:
        """Return once more than ``seen`` records were ever published."""
        if self._appended > seen:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        await waiter

    def _append(self, topic: str, key: bytes | None, value: bytes | None, headers: Headers) -> None:
        log = self._logs[topic]
        log.append(Record(topic, 0, len(log), key, value, tuple(headers)))
        self._appended += 1
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)
