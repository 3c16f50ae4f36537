"""The order processor's work loop: waits for its stores, runs, starts over after a failure.

One run holds a fresh engine (rebuilt from the ledger as partitions are assigned), the
command consumer, the market data feed, the expiry timer and the outbox relay. If any of
them fails, all stop, nothing more is committed, and after a backoff a new run rebuilds
everything from Postgres, as a restarted process would.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from order_processor.processing.commands import CommandBatches
from order_processor.processing.ledger import Ledger
from order_processor.processing.market import MarketFeed
from shared.bus.batch import BatchConsumer
from shared.bus.options import ConsumerOptions
from shared.bus.producer import KafkaPublisher
from shared.db.relay import OutboxRelay
from shared.resources import Resource
from shared.service.restarts import RestartingLoop
from shared.trading.engine import TradingEngine
from shared.trading.events import Event


@dataclass(frozen=True, slots=True)
class Parts:
    """What one run is made of."""

    ledger: Ledger
    consumer: BatchConsumer
    market: MarketFeed
    relay: OutboxRelay
    tick_s: float = 1.0


class ProcessorRunner(RestartingLoop):
    """Runs ``build()``'s parts until ``stop``; a failed run is replaced after a backoff."""

    def __init__(
        self,
        build: Callable[[], Parts],
        dependencies: Sequence[Resource],
        backoff_s: tuple[float, float] = (0.5, 15.0),
    ) -> None:
        super().__init__(dependencies, backoff_s, name="order-processor", what="order processing")
        self._build = build
        self.parts: Parts | None = None

    async def stop(self) -> None:
        """Finish the batch in hand, commit, leave the group."""
        self._stop.set()
        if self.parts is not None:
            await self.parts.consumer.stop()
        await self._finish()

    async def _run_once(self) -> None:
        parts = self.parts = self._build()
        consumer = parts.consumer
        try:
            async with parts.ledger.lock:
                await parts.ledger.rebuild(lambda _account: False)
            await consumer.start()
            async with asyncio.TaskGroup() as group:
                group.create_task(consumer.run())
                group.create_task(parts.market.run(self._stop))
                group.create_task(parts.relay.run(self._stop))
                group.create_task(self._tick(parts))
                group.create_task(self._watch(consumer))
        finally:
            self.parts = None
            await consumer.close()

    async def _watch(self, consumer: BatchConsumer) -> None:
        await self._stop.wait()
        await consumer.stop()

    async def _tick(self, parts: Parts) -> None:
        """Expire DAY orders at their session close (checked every ``tick_s``)."""
        ledger = parts.ledger
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), parts.tick_s)
            if ledger.engine is not None:
                now = ledger.clock.now_ns()
                await ledger.apply(partial(_expire, now=now), now)


def _expire(engine: TradingEngine, *, now: int) -> list[Event]:
    return engine.on_time(now)


def build_parts(
    ledger: Ledger,
    publisher: KafkaPublisher,
    *,
    bootstrap_servers: str,
    group_id: str,
    commands_topic: str,
    partitions: int,
    market_topics: Sequence[str],
    bar_timeframe: str,
    options: ConsumerOptions,
    client_id: str,
) -> Parts:
    """A run's parts around ``ledger``."""
    handler = CommandBatches(ledger, publisher, commands_topic, partitions)
    consumer = BatchConsumer(
        bootstrap_servers=bootstrap_servers,
        group_id=group_id,
        topics=[commands_topic],
        handler=handler,
        options=options,
        linger_ms=2,
    )
    market = MarketFeed(
        ledger, bootstrap_servers, market_topics, bar_timeframe=bar_timeframe, client_id=client_id
    )
    relay = OutboxRelay(
        ledger.pool,
        publisher,
        poll_interval_s=0.5,
        on_published=lambda: ledger.crash.hit("after-publish"),
    )
    return Parts(ledger, consumer, market, relay)
