"""Bars fed one at a time to an in-process strategy worker and order processor, in the order
a backtest sees them, each once everything the one before caused has settled: a live run
as deterministic as a backtest.

The processor reads its bars from a topic of its own. Each 1m bar goes to the processor
first; once it applied the bar (a marker bar of another symbol, published after it on the
same partition, has reached its engine and been committed) and the strategy has every fill
and every end of its orders that the ledger holds, the bar goes to the world's bars topic,
where the worker reads it; then, once the worker fed it to the strategy and sent what it
asked for, the event log read the commands topic to its end and the processor answered
every command there, the next bar goes out. So the engine fills working orders (bracket
legs, limits, stops) along a bar's path, the strategy hears of it, then gets the bar, and
the market orders it sends on a bar are on the processor's book before the next bar: they
fill at its open.

With both reading one topic that order is not kept: the processor's market lane may apply
a bar after a market order sent on that bar arrived (it then fills at that bar's open, or
an earlier bar's), and the worker may act on a bar before hearing of the fills it caused.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from functools import partial
from typing import Self

from aiokafka import AIOKafkaConsumer, TopicPartition

from market_data_engine.pipeline.outputs import bar_envelopes
from order_processor.processing.runner import ProcessorRunner
from shared.clock import SystemClock
from shared.messages.schemas.marketdata import Bar
from shared.strategy.definition import StrategyDefinition, Subscription
from strategy_workers.adapters.partitions import placement
from strategy_workers.domain.slots import Slot
from strategy_workers.runtime.worker import WorkerRunner
from tests.integration.strategy_workers.market import store
from tests.integration.strategy_workers.world import PARTITIONS, StrategyWorld
from tests.support.order_rig import COMMAND_PARTITIONS, unique_symbol

COMMANDS = ("SubmitOrder", "CancelOrder", "ModifyOrder", "CancelAll", "FlattenAll")
ENDED = ["CANCELED", "EXPIRED", "REJECTED"]
MARKER_BASE = Decimal(1000)
EXECUTION = "1m"
"""The timeframe the order processor fills orders on (its ``orders_bar_timeframe``)."""


async def soon(condition: Callable[[], bool | Awaitable[bool]], *, timeout_s: float = 60.0) -> None:
    """Poll a cheap condition every few milliseconds; TimeoutError after ``timeout_s``."""
    async with asyncio.timeout(timeout_s):
        while True:
            holds = condition()
            if holds if isinstance(holds, bool) else await holds:
                return
            await asyncio.sleep(0.005)


class Lockstep:
    """Feeds one strategy's bars through a worker and a processor, one settled bar at a time."""

    def __init__(
        self,
        world: StrategyWorld,
        d: StrategyDefinition,
        worker: WorkerRunner,
        processor: ProcessorRunner,
        *,
        processor_topic: str,
    ) -> None:
        self.world, self.d, self.worker, self.processor = world, d, worker, processor
        self.processor_topic = processor_topic
        self.symbol = d.subscriptions[0].symbol
        self.marker = _same_partition(self.symbol)
        self._markers = 0
        self._ends = AIOKafkaConsumer(bootstrap_servers=world.infra.kafka_bootstrap)
        commands = world.orders.topics.commands
        self._commands = [TopicPartition(commands, p) for p in range(COMMAND_PARTITIONS)]

    async def __aenter__(self) -> Self:
        await self._ends.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._ends.stop()

    async def ready(self) -> None:
        """The processor reads its bars topic (it starts at the end); the worker runs the
        strategy."""
        async with asyncio.timeout(120):
            while not await self._marked(timeout_s=1.0):
                pass
        await soon(lambda: self._slot() is not None)

    async def feed(self, bars: Sequence[Bar]) -> None:
        """Each bar in turn, then until the processor applied the last one and the event
        log holds every fill of the strategy."""
        for bar in bars:
            if bar.timeframe == EXECUTION:  # the processor fills on these only
                await self._marked(bar)
                await soon(self._strategy_knows)
                await self._answered()
            await store(self.world, [bar])
            envelopes = bar_envelopes([bar], clock=SystemClock(), producer="it-market")
            await self.world.orders.desk.publisher.publish_many(
                envelopes, topic=self.world.orders.topics.bars
            )
            await soon(partial(self._fed, bar))
            await self._answered()
        await self._marked()
        await soon(self._fills_logged)

    async def _marked(self, bar: Bar | None = None, *, timeout_s: float = 60.0) -> bool:
        """Send ``bar`` (if any) and a marker bar after it to the processor; True once the
        marker is applied and committed (False when ``timeout_s`` went by first)."""
        self._markers += 1
        price = MARKER_BASE + Decimal("0.25") * self._markers
        now = time.time_ns() // 60_000_000_000 * 60_000_000_000
        marker = Bar(
            symbol=self.marker, timeframe="1m", open_time=now, close_time=now + 60_000_000_000,
            open=price, high=price, low=price, close=price, volume=Decimal(1), trade_count=1,
        )  # fmt: skip
        made = bar_envelopes([b for b in (bar, marker) if b], clock=SystemClock(), producer="it")
        await self.world.orders.desk.publisher.publish_many(made, topic=self.processor_topic)

        async def applied() -> bool:
            parts = self.processor.parts
            if parts is None or parts.ledger.engine is None or parts.ledger.lock.locked():
                return False
            return parts.ledger.engine.state.last_price.get(self.marker) == price

        try:
            await soon(applied, timeout_s=timeout_s)
        except TimeoutError:
            return False
        return True

    def _slot(self) -> Slot | None:
        parts = self.worker.parts
        return None if parts is None else parts.desk.slots.get(self.d.strategy_id)

    def _fed(self, bar: Bar) -> bool:
        """The worker fed ``bar`` to the strategy and sent what it asked for."""
        slot, parts = self._slot(), self.worker.parts
        if slot is None or parts is None or parts.desk.lock.locked():
            return False
        return bool(slot.fed.get(Subscription(bar.symbol, bar.timeframe), -1) >= bar.open_time)

    async def _strategy_knows(self) -> bool:
        """The strategy's book has every fill and every end of its orders in the ledger, and
        whatever it sent in answer went out."""
        pool, sid = self.world.orders.pool, self.d.strategy_id
        fills = await pool.fetch("SELECT fill_id FROM fills WHERE strategy_id = $1", sid)
        ended = await pool.fetch(
            "SELECT client_order_id FROM orders WHERE strategy_id = $1 AND status = ANY($2)",
            sid,
            ENDED,
        )
        slot, parts = self._slot(), self.worker.parts
        if slot is None or parts is None or parts.desk.lock.locked():
            return False
        book = slot.runner.ctx.book
        return all(r["fill_id"] in book.seen_fills for r in fills) and not any(
            r["client_order_id"] in book.pending for r in ended
        )

    async def _answered(self) -> None:
        """The event log read the commands topic to its end; every command there has an
        answer from the processor."""
        ends = await self._ends.end_offsets(self._commands)
        log, answers = self.world.log, self.world.orders.log

        def read() -> bool:
            seen: dict[int, int] = {}
            for s in log.on(self.world.orders.topics.commands):
                seen[s.partition] = max(s.offset + 1, seen.get(s.partition, 0))
            return all(seen.get(tp.partition, 0) >= end for tp, end in ends.items())

        def answered() -> bool:
            caused = {e.causation_id for e in answers.envelopes()}
            topic = self.world.orders.topics.commands
            return all(e.message_id in caused for e in log.envelopes(*COMMANDS, topic=topic))

        await soon(read)
        await soon(answered)

    async def _fills_logged(self) -> bool:
        rows = await self.world.orders.pool.fetch(
            "SELECT fill_id FROM fills WHERE strategy_id = $1", self.d.strategy_id
        )
        logged = {p.fill_id for p in self.world.orders.log.payloads("OrderFilled")}
        return {r["fill_id"] for r in rows} <= logged


def _same_partition(symbol: str) -> str:
    """Another symbol whose bars share ``symbol``'s partition of a bars topic."""
    place = placement(PARTITIONS)
    while True:
        other = unique_symbol()
        if other != symbol and place(other) == place(symbol):
            return other
