"""The feed adapter interface: what replay, the synthetic market and live providers share.

A feed delivers trades in event-time order, in batches, to a sink::

    class MyProvider:
        name = "myprovider"
        market_clock = SystemClock()          # live feeds: the wall clock

        async def run(self, sink: TradeSink, stop: asyncio.Event) -> None:
            while not stop.is_set():
                batch = [FeedTrade(...), ...]  # plain tuples, no pydantic per trade
                await sink(batch)              # returns once the batch is durable

``run`` returns when the feed is exhausted or ``stop`` is set (finishing the batch in
hand), and raises when the source fails. Awaiting the sink is the backpressure: a feed
never has more than one batch in flight. Envelopes are made once, by the publishing shell.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from typing import NamedTuple, Protocol

from shared.clock import Clock
from shared.messages.schemas.marketdata import AggressorSide


class FeedTrade(NamedTuple):
    """One trade as feeds pass it around: exact Decimal price and size, UTC nanoseconds."""

    symbol: str
    ts: int
    price: Decimal
    size: Decimal
    side: AggressorSide = AggressorSide.NONE
    trade_id: str | None = None


TradeBatch = Sequence[FeedTrade]
"""Trades in event-time order (ties keep the source's order)."""

TradeSink = Callable[[TradeBatch], Awaitable[None]]
"""Receives a batch; returns once the batch is durable (published and acknowledged)."""


class Feed(Protocol):
    """A source of trades. ``market_clock`` tells the time the market is at.

    For a live feed that is the wall clock; for a replay, the replayed time (so the feed
    health monitor judges silence in market time, whatever the speed).
    """

    @property
    def name(self) -> str: ...

    @property
    def market_clock(self) -> Clock: ...

    async def run(self, sink: TradeSink, stop: asyncio.Event) -> None:
        """Deliver batches to ``sink`` until exhausted or ``stop`` is set."""
        ...


class FeedError(Exception):
    """A feed cannot go on (bad input, bad configuration); the message says where and why."""
