"""``marketdata.bars`` through a ``BatchConsumer``: the strategies of the symbols held here.

On assignment and revocation the slots are brought in line with the partitions held
(``sync``); each partition resumes at the group's committed offset, or at its end when the
group has none (a new group trades from now on). A batch's bars go to the strategies, what
they emit is published and acknowledged, and only then are the batch's offsets handed back
to be committed. A bar handled again after a crash (its offset was not committed) makes the
same orders with the same ids, which the order processor recognises.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Mapping

from aiokafka import TopicPartition

from shared.bus.batch_handler import Batch
from shared.bus.types import AnyEnvelope, Publisher
from shared.messages.schemas.orders import SubmitOrder
from strategy_workers import metrics
from strategy_workers.runtime.delivery import deliver
from strategy_workers.runtime.desk import Desk
from strategy_workers.runtime.faults import CrashPoint
from strategy_workers.runtime.records import Intake
from strategy_workers.runtime.sync import sync

log = logging.getLogger(__name__)
NANOS = 1e9

Starts = Callable[[Collection[TopicPartition]], Awaitable[Mapping[TopicPartition, int | None]]]
"""Where to read each newly held partition from (None: the group's committed offset)."""


async def _committed(partitions: Collection[TopicPartition]) -> dict[TopicPartition, int | None]:
    return dict.fromkeys(partitions)


class BarBatches:
    """The ``BatchHandler`` of the bars topic."""

    def __init__(
        self,
        desk: Desk,
        intake: Intake,
        publisher: Publisher,
        *,
        starts: Starts | None = None,
        crash: CrashPoint | None = None,
    ) -> None:
        self._desk = desk
        self._intake = intake
        self._publisher = publisher
        self._starts = starts or _committed
        self._crash = crash or CrashPoint()
        self._unsaved: dict[TopicPartition, int] = {}
        """Start offsets of partitions the group had none for, committed with the next batch
        so a restart resumes there rather than at a later end."""

    async def load(
        self, partitions: Collection[TopicPartition]
    ) -> Mapping[TopicPartition, int | None]:
        desk = self._desk
        # where to start first: a bar published once the strategies are loaded is read
        found = await self._starts(partitions)
        async with desk.lock:
            desk.held |= {tp.partition for tp in partitions}
            await deliver(self._publisher, await sync(desk))
        log.info("bars partitions held: %s", sorted(desk.held))
        self._unsaved.update({tp: start for tp, start in found.items() if start is not None})
        return found

    async def handle(self, batch: Batch) -> Mapping[TopicPartition, int] | None:
        desk = self._desk
        offsets: dict[TopicPartition, int] = {}
        async with desk.lock:
            out: list[AnyEnvelope] = []
            acting: list[int] = []  # ts_init of the bars that made orders
            for tp, records in batch.records.items():
                for record in records:
                    bar, made = await self._intake.handle(record)
                    if bar is not None and any(isinstance(e.payload, SubmitOrder) for e in made):
                        acting.append(bar.ts_init)
                    out += made
                if records:
                    offsets[tp] = records[-1].offset + 1
            if await deliver(self._publisher, out):
                now = desk.clock.now_ns()
                for made_ns in acting:
                    metrics.BAR_TO_ORDER.observe(max(0, now - made_ns) / NANOS)
                self._crash.hit("after-publish")
        unsaved, self._unsaved = self._unsaved, {}
        return {**unsaved, **offsets}

    async def release(self, partitions: Collection[TopicPartition]) -> Mapping[TopicPartition, int]:
        desk = self._desk
        for tp in partitions:
            self._unsaved.pop(tp, None)
        async with desk.lock:
            desk.held -= {tp.partition for tp in partitions}
            await deliver(self._publisher, await sync(desk))
        return {}

    async def close(self) -> None:
        return None
