"""Bars for a strategy under test, made, stored and published as the market data engine does
(InfluxDB first, then Kafka with the candle's own message id), and what they should cause."""

from __future__ import annotations

import random
import time
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from functools import partial

from market_data_engine.adapters.candle_format import influx_line
from market_data_engine.pipeline.outputs import bar_envelopes
from shared.clock import SystemClock
from shared.instruments import InstrumentRegistry
from shared.messages.schemas.marketdata import Bar
from shared.messages.schemas.orders import SubmitOrder
from shared.strategy.candles import candle_of
from shared.strategy.catalog import runner_for
from shared.strategy.definition import StrategyDefinition
from tests.integration.strategy_workers.world import StrategyWorld
from tests.support.event_log import until

MINUTE = 60_000_000_000
# fast SMA(2) crosses SMA(3): above at bar 5, below at 8, above at 12, below at 15
CLOSES = [5000, 4999, 4998, 4997, 4998, 4999.5, 5001, 5000, 4998, 4996, 4995, 4997, 4999,
          5000, 5000, 4998, 4998.25]  # fmt: skip

Handled = Callable[[Bar], Awaitable[bool]]


def minute_bars(symbol: str, closes: Sequence[float], *, hours_ago: int = 3) -> list[Bar]:
    """1m bars of ``symbol`` closing at ``closes``, the first opening ``hours_ago`` back."""
    start = (time.time_ns() // MINUTE - hours_ago * 60) * MINUTE
    out, previous = [], Decimal(str(closes[0]))
    for i, value in enumerate(closes):
        close = Decimal(str(value))
        out.append(
            Bar(
                symbol=symbol, timeframe="1m", open_time=start + i * MINUTE,
                close_time=start + (i + 1) * MINUTE, open=previous, high=max(previous, close),
                low=min(previous, close), close=close, volume=Decimal(25), trade_count=9,
            )
        )  # fmt: skip
        previous = close
    return out


async def store(world: StrategyWorld, bars: Sequence[Bar]) -> None:
    """Into InfluxDB, in the engine's layout."""
    await world.influx.write_lines([influx_line(bar) for bar in bars])


async def publish(world: StrategyWorld, bars: Sequence[Bar]) -> None:
    """Stored, then onto the test's bars topic."""
    await store(world, bars)
    envelopes = bar_envelopes(bars, clock=SystemClock(), producer="it-market")
    await world.orders.desk.publisher.publish_many(envelopes, topic=world.orders.topics.bars)


def expected_orders(d: StrategyDefinition, bars: Sequence[Bar]) -> dict[int, list[SubmitOrder]]:
    """What the strategy orders on each bar (by open time), run bare over the same bars.

    Its decisions rest on ``ctx.intended()`` (position plus market orders out), so they do
    not depend on when the fills come back; the bare runner gets none.
    """
    runner = runner_for(d, InstrumentRegistry.with_standard_futures())
    runner.start(0)
    found = {}
    for bar in bars:
        orders = [p for _, p in runner.on_bar(candle_of(bar)) if isinstance(p, SubmitOrder)]
        if orders:
            found[bar.open_time] = orders
    return found


async def ledger_ids(world: StrategyWorld, d: StrategyDefinition) -> list[str]:
    """Client order ids of the strategy's orders in the ledger (duplicates would show)."""
    rows = await world.orders.pool.fetch(
        "SELECT client_order_id FROM orders WHERE strategy_id = $1 ORDER BY created_ns",
        d.strategy_id,
    )
    return [r["client_order_id"] for r in rows]


async def feed_paced(
    world: StrategyWorld,
    d: StrategyDefinition,
    bars: Sequence[Bar],
    handled: Handled,
    *,
    expected: dict[int, list[SubmitOrder]] | None = None,
    timeout_s: float = 120.0,
) -> None:
    """One bar at a time: the next goes out once the worker handled this one and the order
    processor has its orders, so each market order fills at the next bar's open.
    ``expected``: the orders by bar when ``bars`` are not all the strategy has seen."""
    expected = expected_orders(d, bars) if expected is None else expected
    for bar in bars:
        await publish(world, [bar])
        await until(partial(handled, bar), timeout_s=timeout_s)
        wanted = {o.client_order_id for o in expected.get(bar.open_time, [])}
        if wanted:

            async def arrived(wanted: set[str] = wanted) -> bool:
                return wanted <= set(await ledger_ids(world, d))

            await until(arrived, timeout_s=timeout_s)


async def net_filled(world: StrategyWorld, d: StrategyDefinition) -> Decimal:
    """The strategy's signed filled quantity, from the ledger's fills."""
    value = await world.orders.pool.fetchval(
        "SELECT coalesce(sum(CASE WHEN side = 'BUY' THEN quantity ELSE -quantity END), 0) "
        "FROM fills WHERE strategy_id = $1",
        d.strategy_id,
    )
    return Decimal(value)


def walk_bars(symbol: str, count: int, *, seed: int, start_ns: int) -> list[Bar]:
    """``count`` 1m bars of a seeded random walk in quarter points from 5000, the first opening
    at ``start_ns``: no close repeats the one before, about one open in eight gaps away from
    the previous close, and highs and lows reach a few ticks beyond open and close."""
    rng, tick = random.Random(seed), Decimal("0.25")
    out, close = [], Decimal(5000)
    for i in range(count):
        previous = close
        gap = rng.choice((-2, -1, 1, 2)) if rng.random() < 0.125 else 0
        opening = previous + gap * tick
        close = opening + rng.choice((-4, -3, -2, -1, 1, 2, 3, 4)) * tick
        if close == previous:  # a gap and a move back: step on
            close += tick
        out.append(
            Bar(
                symbol=symbol, timeframe="1m", open_time=start_ns + i * MINUTE,
                close_time=start_ns + (i + 1) * MINUTE, open=opening,
                high=max(opening, close) + rng.randint(0, 3) * tick,
                low=min(opening, close) - rng.randint(0, 3) * tick, close=close,
                volume=Decimal(rng.randint(5, 80)), trade_count=rng.randint(1, 40),
            )
        )  # fmt: skip
    return out


def with_coarser(bars: Sequence[Bar], minutes: int) -> list[Bar]:
    """``bars`` (1m) with the ``minutes`` bars made of them, each right after the 1m bar that
    closes it, as the market data engine publishes them (an unfinished last one is left out).
    A coarse bar opens at a UTC multiple of its width; its vwap is left out (the close)."""
    width, out, group = minutes * MINUTE, [], list[Bar]()
    for bar in bars:
        if group and bar.open_time // width != group[0].open_time // width:
            group = []
        group.append(bar)
        out.append(bar)
        if bar.close_time % width == 0 and group[0].open_time % width == 0:
            out.append(
                Bar(
                    symbol=bar.symbol, timeframe=f"{minutes}m", open_time=group[0].open_time,
                    close_time=bar.close_time, open=group[0].open,
                    high=max(b.high for b in group), low=min(b.low for b in group),
                    close=bar.close, volume=sum((b.volume for b in group), Decimal(0)),
                    trade_count=sum(b.trade_count for b in group),
                )
            )  # fmt: skip
    return out
