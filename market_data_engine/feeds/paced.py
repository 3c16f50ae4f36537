"""The async shell shared by replay and the synthetic market: batches a trade iterator at a speed.

Trades come from a plain synchronous iterator in event-time order. A batch is handed to the
sink when it is full or when the next trade is not due yet; then the feed sleeps (with the
injected clock and sleep) until it is. ``stop`` is honoured between batches and wakes a sleep.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable

from market_data_engine.feeds.base import FeedTrade, TradeSink
from market_data_engine.feeds.pacing import Schedule
from shared.clock import NANOS_PER_SECOND, Clock, SystemClock

Sleep = Callable[[float], Awaitable[None]]
MAX_SLEEP_S = 1.0  # re-read the clock at least this often while waiting


class ScheduleClock:
    """The market time of a paced feed (a ``Clock``): where the schedule is on the wall clock."""

    def __init__(self, schedule: Schedule, wall: Clock) -> None:
        self._schedule = schedule
        self._wall = wall

    def now_ns(self) -> int:
        return self._schedule.market_ns(self._wall.now_ns())


class PacedFeed:
    """A ``Feed`` over an iterable of trades, paced by ``speed`` (0 = as fast as possible).

    ``origin_ns`` is the event time due when the run starts (default: the first trade's),
    so a live synthetic market starting now publishes each trade at its own time.
    ``delivered`` and ``last_ts`` count what the sink accepted.
    """

    def __init__(
        self,
        name: str,
        trades: Iterable[FeedTrade],
        *,
        speed: float = 0.0,
        max_batch: int = 1000,
        origin_ns: int | None = None,
        max_pause_s: float | None = None,
        clock: Clock | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self._name = name
        self._trades = trades
        self._max_batch = max_batch
        self._origin_ns = origin_ns
        self._clock = clock or SystemClock()
        self._sleep = sleep
        self.schedule = Schedule(speed, max_pause_s, origin_ns)
        self.delivered = 0
        self.last_ts: int | None = None

    @property
    def name(self) -> str:
        return self._name

    @property
    def market_clock(self) -> Clock:
        return ScheduleClock(self.schedule, self._clock)

    async def run(self, sink: TradeSink, stop: asyncio.Event) -> None:
        """Deliver every trade (or until ``stop``), each batch no earlier than it is due."""
        if self._origin_ns is not None:
            self.schedule.start(self._origin_ns, self._clock.now_ns())
        batch: list[FeedTrade] = []
        for trade in self._trades:
            wait = self.schedule.wait_ns(trade.ts, self._clock.now_ns())
            if wait > 0:
                await self._deliver(sink, batch)
                batch = []
                if stop.is_set() or not await self._wait(trade.ts, stop):
                    return
            batch.append(trade)
            if len(batch) >= self._max_batch:
                await self._deliver(sink, batch)
                batch = []
            if stop.is_set():
                break
        await self._deliver(sink, batch)

    async def _deliver(self, sink: TradeSink, batch: list[FeedTrade]) -> None:
        if not batch:
            return
        await sink(batch)
        self.delivered += len(batch)
        self.last_ts = batch[-1].ts
        await asyncio.sleep(0)  # let other tasks (health, signals) run between batches

    async def _wait(self, event_ns: int, stop: asyncio.Event) -> bool:
        """Sleep until the event is due; False if ``stop`` was set first."""
        while (wait := self.schedule.due_ns(event_ns) - self._clock.now_ns()) > 0:
            seconds = min(wait / NANOS_PER_SECOND, MAX_SLEEP_S)
            sleeper = asyncio.ensure_future(self._sleep(seconds))
            stopper = asyncio.ensure_future(stop.wait())
            await asyncio.wait({sleeper, stopper}, return_when=asyncio.FIRST_COMPLETED)
            for task in (sleeper, stopper):
                task.cancel()
            await asyncio.gather(sleeper, stopper, return_exceptions=True)
            if stop.is_set():
                return False
        return True
