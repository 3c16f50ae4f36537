"""The shapes the bus works with: a received record, handlers, and what can publish."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from shared.messages import Envelope

Headers = list[tuple[str, bytes]]

AnyEnvelope = Envelope[Any]
"""An envelope of any payload type (``Envelope`` is invariant in its payload)."""

HandlerResult = Sequence[AnyEnvelope] | None
Handler = Callable[[AnyEnvelope], Awaitable[HandlerResult]]
"""Handles one envelope; returns the envelopes it wants published (or None)."""

Handlers = Handler | Mapping[str, Handler]
"""One handler for every type, or an explicit map of message type to handler."""

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Record:
    """One message as received from a topic partition, before decoding."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...] = ()


class Publisher(Protocol):
    """What publishes messages: the Kafka producer or the in-memory bus."""

    async def publish(self, envelope: AnyEnvelope, topic: str | None = None) -> None:
        """Publish one envelope and wait until it is durable."""
        ...

    async def publish_many(self, envelopes: Sequence[AnyEnvelope]) -> None:
        """Publish several envelopes, then wait until all are durable."""
        ...

    async def publish_raw(
        self, topic: str, key: bytes | None, value: bytes | None, headers: Headers
    ) -> None:
        """Publish bytes as they are (dead letters, outbox relay)."""
        ...


class TopicPublisher(Protocol):
    """A publisher that takes the topic as an argument (``KafkaPublisher``, ``MemoryBus``)."""

    async def publish_many(
        self, envelopes: Sequence[AnyEnvelope], topic: str | None = None
    ) -> None: ...

    async def publish_raw(
        self, topic: str, key: bytes | None, value: bytes | None, headers: Headers
    ) -> None: ...
