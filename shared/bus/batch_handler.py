"""What a ``BatchConsumer`` hands its handler, and what the handler must offer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from aiokafka import TopicPartition

from shared.bus.types import Sleep

Offsets = Mapping[TopicPartition, int]


@dataclass(frozen=True, slots=True)
class Batch:
    """One poll's records by partition, and what the handler may ask the consumer."""

    records: Mapping[TopicPartition, Sequence[Any]]
    keep_going: Callable[[], bool]
    """False once the consumer stops or the partitions move: stop retrying, abandon."""
    highwater: Callable[[TopicPartition], int | None]
    """The partition's end offset as last fetched (None: not known yet)."""
    partitions: frozenset[TopicPartition] = frozenset()
    """The partitions this member holds now; state kept for any other is stale."""
    sleep: Sleep = asyncio.sleep
    """Sleeps between retries, waking early when the consumer stops or partitions move."""


class BatchHandler(Protocol):
    """What a ``BatchConsumer`` feeds."""

    async def load(
        self, partitions: Collection[TopicPartition]
    ) -> Mapping[TopicPartition, int | None]:
        """Take over partitions; where to read each from (None: the committed offset)."""
        ...

    async def handle(self, batch: Batch) -> Offsets | None:
        """Do the batch's work durably; the next offsets to commit, or None if abandoned."""
        ...

    async def release(self, partitions: Collection[TopicPartition]) -> Offsets:
        """Save what the partitions hold and forget them; the offsets to commit."""
        ...

    async def close(self) -> None:
        """The consumer is done (after a failure too): stop anything still under way."""
        ...
