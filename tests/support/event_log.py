"""Everything published on a few topics, read in the background from their beginning.

Tests wait on what arrived (``wait_for``) instead of sleeping, and then look at all of it:
duplicates included, since the outbox relay delivers at least once.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from shared.messages import Envelope, Payload
from shared.messages.codec import DecodeError, decode


async def until(condition: Callable[[], Awaitable[bool]], *, timeout_s: float = 120.0) -> None:
    """Poll an async condition until it holds; TimeoutError after ``timeout_s`` (a guard)."""
    async with asyncio.timeout(timeout_s):
        while not await condition():  # noqa: ASYNC110 - the state lives in other processes
            await asyncio.sleep(0.05)


@dataclass(frozen=True)
class Seen:
    """One record: where it was, its bytes and headers, its envelope if it decodes."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: dict[str, bytes]
    envelope: Envelope[Payload] | None


class EventLog:
    """Reads every partition of ``topics`` (name -> partition count) into ``records``.

    Partitions are assigned, not subscribed: a subscription to topics just created can
    miss them until the next metadata refresh, minutes later.
    """

    def __init__(self, bootstrap: str, topics: Mapping[str, int]) -> None:
        self._bootstrap = bootstrap
        self._partitions = [TopicPartition(t, p) for t, n in topics.items() for p in range(n)]
        self.records: list[Seen] = []
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            group_id=None,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await consumer.start()
        consumer.assign(self._partitions)
        self._task = asyncio.create_task(self._read(consumer), name="event-log")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _read(self, consumer: AIOKafkaConsumer) -> None:
        try:
            while True:
                batch = await consumer.getmany(timeout_ms=200)
                for records in batch.values():
                    self.records.extend(_seen(r) for r in records)
        finally:
            await consumer.stop()

    async def wait_for(self, condition: Callable[[], bool], *, timeout_s: float = 120.0) -> None:
        """Until ``condition()`` holds for what has arrived (the reader must stay alive)."""

        async def holds() -> bool:
            if self._task is not None and self._task.done():
                self._task.result()  # the reader died: say why
                raise AssertionError("the event log stopped reading")
            return condition()

        await until(holds, timeout_s=timeout_s)

    def on(self, topic: str) -> list[Seen]:
        return [s for s in self.records if s.topic == topic]

    def envelopes(self, *types: str, topic: str | None = None) -> list[Envelope[Payload]]:
        """The decoded envelopes of these types (all types if none given), in arrival order."""
        return [
            s.envelope
            for s in self.records
            if s.envelope is not None
            and (not types or s.envelope.type in types)
            and (topic is None or s.topic == topic)
        ]

    def caused_by(self, command_id: uuid.UUID, *types: str) -> list[Envelope[Payload]]:
        return [e for e in self.envelopes(*types) if e.causation_id == command_id]

    def payloads(self, *types: str) -> list[Any]:
        return [e.payload for e in self.envelopes(*types)]


def _seen(record: Any) -> Seen:
    headers = list(record.headers or ())
    try:
        envelope: Envelope[Payload] | None = decode(record.value, headers)
    except DecodeError:
        envelope = None
    return Seen(
        record.topic,
        record.partition,
        record.offset,
        record.key,
        record.value,
        dict(headers),
        envelope,
    )
