"""The strategies one worker runs, and what every lane (bars, order events, store changes)
shares: the slots, their routes, one lock, and the way a failing strategy is put aside.

Whoever changes the slots or feeds a strategy holds ``lock`` until what it caused is
published, so the strategies see bars, their order events and store changes one at a time.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from shared.bus.types import AnyEnvelope
from shared.clock import Clock
from shared.instruments import InstrumentRegistry
from shared.messages.envelope import new_envelope
from shared.messages.schemas.strategy import StrategyStatus
from shared.strategy.definition import StrategyDefinition
from strategy_workers import metrics
from strategy_workers.domain import notices
from strategy_workers.domain.routing import Placement, Routes
from strategy_workers.domain.slots import Slot
from strategy_workers.runtime.ports import CandleHistory, Store

log = logging.getLogger(__name__)

PRODUCER = "strategy_workers"


@dataclass(frozen=True, slots=True)
class DeskConfig:
    """How strategies are run: warm-up depth, history kept, who signs the messages."""

    warmup_bars: int = 500
    history_size: int = 500
    producer: str = PRODUCER


class Desk:
    """The slots of this worker (strategy id -> ``Slot``), their routes and the lock."""

    def __init__(
        self,
        store: Store,
        history: CandleHistory,
        instruments: InstrumentRegistry,
        clock: Clock,
        *,
        place: Placement,
        config: DeskConfig | None = None,
    ) -> None:
        self.store = store
        self.history = history
        self.instruments = instruments
        self.clock = clock
        self.place = place
        self.config = config or DeskConfig()
        self.lock = asyncio.Lock()
        self.slots: dict[uuid.UUID, Slot] = {}
        self.routes = Routes()
        self.held: set[int] = set()
        """Partitions of the bars topic this worker holds."""
        self.revision: int | None = None
        """The store's revision the slots were last brought in line with."""
        self.wanted = asyncio.Event()
        """Set when the slots should be brought in line with the store soon."""

    def reroute(self) -> None:
        """Recompute the routes and the gauge after the slots changed."""
        self.routes = Routes({sid: s.runner.subscriptions for sid, s in self.slots.items()})
        for status in (StrategyStatus.RUNNING, StrategyStatus.PAUSED):
            count = sum(s.status is status for s in self.slots.values())
            metrics.RUNNING.labels(status.value).set(count)

    def envelopes(
        self,
        emitted: Iterable[notices.Notice],
        *,
        ts_event: int | None = None,
        cause: AnyEnvelope | None = None,
    ) -> list[AnyEnvelope]:
        """Messages (with their deterministic ids) as envelopes caused by ``cause``."""
        return [
            new_envelope(
                payload,
                clock=self.clock,
                producer=self.config.producer,
                ts_event=ts_event,
                causation=cause,
                message_id=message_id,
            )
            for message_id, payload in emitted
        ]

    async def fail(self, slot: Slot, where: str, exc: Exception) -> list[AnyEnvelope]:
        """Put a strategy that raised aside: dropped, FAILED in the store, reported, counted.

        The slot goes first, so nothing else reaches it even if the store is down (the
        error then propagates, the worker starts over and the strategy fails again).
        """
        if self.slots.get(slot.strategy_id) is slot:
            del self.slots[slot.strategy_id]
            self.reroute()
        return await self.fail_version(slot.definition, slot.status, slot.run_key, where, exc)

    async def fail_version(
        self,
        definition: StrategyDefinition,
        previous: StrategyStatus,
        run_key: str,
        where: str,
        exc: Exception,
    ) -> list[AnyEnvelope]:
        """Record a strategy version's failure (also one that never got a slot)."""
        error = notices.failure_text(where, exc)
        log.error("strategy %s v%d failed: %s", definition.strategy_id, definition.version,
                  error, exc_info=exc)  # fmt: skip
        metrics.ERRORS.labels(str(definition.strategy_id)).inc()
        now = self.clock.now_ns()
        await self.store.mark_failed(definition.strategy_id, definition.version, error, now)
        notice = notices.failed(definition, previous, run_key, error)
        return self.envelopes([notice], ts_event=now)
