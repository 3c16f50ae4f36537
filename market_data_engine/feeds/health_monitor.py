"""The async shell of feed health: Prometheus gauges and ``FeedStatusChanged`` events.

``observe`` takes each published batch; ``run`` checks every symbol at an interval on the
feed's market clock until stopped. Each state change is published on ``marketdata.status``
(keyed by symbol) with ``ts_event`` = when it was noticed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from prometheus_client import CollectorRegistry, Counter, Gauge

from market_data_engine.feeds.base import TradeBatch
from market_data_engine.feeds.health import FeedHealth, StatusChange, SymbolHealth
from market_data_engine.feeds.publishing import BatchPublisher
from shared.clock import NANOS_PER_SECOND, Clock, SystemClock
from shared.messages import new_envelope
from shared.messages.schemas.feeds import FeedState


class FeedMetrics:
    """``tickstream_feed_*`` metrics, registered in one registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.last_trade = Gauge(
            "tickstream_feed_last_trade_timestamp_seconds",
            "Event time of the newest trade published per symbol (Unix seconds)",
            ["symbol"],
            registry=registry,
        )
        self.stale = Gauge(
            "tickstream_feed_stale",
            "1 while a symbol's feed is silent beyond the threshold in its session, else 0",
            ["symbol"],
            registry=registry,
        )
        self.closed = Gauge(
            "tickstream_feed_session_closed",
            "1 while a symbol's trading session is closed, else 0",
            ["symbol"],
            registry=registry,
        )
        self.trades = Counter(
            "tickstream_feed_trades",
            "Trades published by the feeds",
            ["feed", "symbol"],
            registry=registry,
        )

    def show(self, health: SymbolHealth) -> None:
        """Set one symbol's gauges from its health."""
        if health.last_trade_ts is not None:
            self.last_trade.labels(health.symbol).set(health.last_trade_ts / NANOS_PER_SECOND)
        self.stale.labels(health.symbol).set(1 if health.state is FeedState.STALE else 0)
        self.closed.labels(health.symbol).set(1 if health.state is FeedState.CLOSED else 0)


class FeedHealthMonitor:
    """Feeds ``FeedHealth`` from batches and the clock; publishes its changes."""

    def __init__(
        self,
        health: FeedHealth,
        publisher: BatchPublisher,
        metrics: FeedMetrics,
        *,
        clock: Clock,
        producer: str,
        interval_s: float = 1.0,
        topic: str | None = None,
        wall_clock: Clock | None = None,
    ) -> None:
        self.health = health
        self._publisher = publisher
        self._metrics = metrics
        self._clock = clock
        self._wall = wall_clock or SystemClock()
        self._producer = producer
        self._interval_s = interval_s
        self._topic = topic

    async def observe(self, feed: str, batch: TradeBatch) -> None:
        """Note a published batch (event-time order: the last trade per symbol is newest)."""
        newest: dict[str, int] = {}
        counts: dict[str, int] = {}
        for trade in batch:
            newest[trade.symbol] = trade.ts
            counts[trade.symbol] = counts.get(trade.symbol, 0) + 1
        changes: list[StatusChange] = []
        for symbol, ts in newest.items():
            changes.extend(self.health.record(symbol, ts))
            self._metrics.trades.labels(feed, symbol).inc(counts[symbol])
            self._metrics.show(self.health.symbols[symbol])
        await self._publish(changes)

    async def check(self) -> list[StatusChange]:
        """Evaluate every symbol now; publish and return the changes."""
        changes = self.health.check(self._clock.now_ns())
        for symbol_health in self.health.symbols.values():
            self._metrics.show(symbol_health)
        await self._publish(changes)
        return changes

    async def run(self, stop: asyncio.Event) -> None:
        """Check at every interval until ``stop`` is set."""
        while not stop.is_set():
            await self.check()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._interval_s)

    async def _publish(self, changes: Sequence[StatusChange]) -> None:
        if not changes:
            return
        envelopes = [
            new_envelope(c.payload, clock=self._wall, producer=self._producer, ts_event=c.ts_ns)
            for c in changes
        ]
        await self._publisher.publish_many(envelopes, topic=self._topic)
