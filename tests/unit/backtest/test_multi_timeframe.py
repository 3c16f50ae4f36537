"""Several timeframes and symbols: what the strategy receives, in what order."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import pytest

from shared.backtest import BacktestOptions, DataError, OpenTrades, run_backtest, series
from shared.backtest.synthetic import random_walk
from shared.backtest.timeframes import aggregate
from shared.instruments import CME_GLOBEX
from shared.strategy.base import Strategy
from shared.strategy.candles import Candle
from shared.strategy.context import StrategyContext
from shared.strategy.definition import Subscription
from tests.unit.backtest.support import definition

MINUTE = 60_000_000_000


class Recorder(Strategy):
    """Records the candles it receives; buys one contract on the first 5m candle."""

    NAME = "recorder"

    def __init__(self, extra: Sequence[Subscription] = (), buy_on: str | None = None) -> None:
        super().__init__({})
        self.extra = tuple(extra)
        self.buy_on = buy_on
        self.seen: list[Candle] = []

    def subscriptions(self, given: Sequence[Subscription]) -> tuple[Subscription, ...]:
        return (*given, *self.extra)

    def on_bar(self, ctx: StrategyContext, bar: Candle) -> None:
        self.seen.append(bar)
        if bar.timeframe == self.buy_on and not ctx.intended(bar.symbol):
            ctx.buy(1, symbol=bar.symbol)


def minute_bars(n: int, symbol: str = "ESZ6", seed: int = 3, skip: Sequence[int] = ()):
    bars = random_walk(n, symbol=symbol, seed=seed)
    keep = np.setdiff1d(np.arange(n), np.asarray(skip, dtype=np.int64))
    return bars.rows(keep)


def delivered(strategy: Recorder) -> list[tuple[str, str, int]]:
    return [
        (c.symbol, c.timeframe, (c.open_time - random_walk(1).open_time[0]) // MINUTE)
        for c in strategy.seen
    ]


MINUTES = (Subscription("ESZ6", "1m"),)


def run(strategy: Recorder, data, subs=MINUTES, **options):
    return run_backtest(
        definition(subscriptions=subs), data, BacktestOptions(**options), strategy=strategy
    )


def test_a_higher_timeframe_candle_comes_right_after_the_minute_that_closes_it() -> None:
    strategy = Recorder([Subscription("ESZ6", "5m")])
    run(strategy, [minute_bars(12)])

    order = [(tf, minute) for _, tf, minute in delivered(strategy)]
    assert order == [
        ("1m", 0),
        ("1m", 1),
        ("1m", 2),
        ("1m", 3),
        ("1m", 4),
        ("5m", 0),
        ("1m", 5),
        ("1m", 6),
        ("1m", 7),
        ("1m", 8),
        ("1m", 9),
        ("5m", 5),
        ("1m", 10),
        ("1m", 11),
    ]  # the 10-15 candle has not closed when the data ends: not delivered


def test_a_higher_timeframe_candle_aggregates_its_minutes() -> None:
    minutes = minute_bars(10, skip=[2])
    strategy = Recorder([Subscription("ESZ6", "5m")])
    run(strategy, [minutes])

    five = [c for c in strategy.seen if c.timeframe == "5m"]
    first = [c for c in strategy.seen if c.timeframe == "1m"][:4]  # minutes 0, 1, 3, 4
    assert five[0].open_time == first[0].open_time
    assert five[0].close_time == first[0].open_time + 5 * MINUTE
    assert five[0].open == first[0].open
    assert five[0].high == max(c.high for c in first)
    assert five[0].low == min(c.low for c in first)
    assert five[0].close == first[-1].close
    assert five[0].volume == sum(c.volume for c in first)
    vwap = sum(c.vwap * c.volume for c in first) / sum(c.volume for c in first)
    assert five[0].vwap == pytest.approx(vwap)


def test_a_gap_at_the_end_of_an_interval_still_closes_its_candle_before_the_next_minute() -> None:
    strategy = Recorder([Subscription("ESZ6", "5m")])
    run(strategy, [minute_bars(12, skip=[4, 5, 6])])

    order = [(tf, minute) for _, tf, minute in delivered(strategy)]
    assert order[:6] == [("1m", 0), ("1m", 1), ("1m", 2), ("1m", 3), ("5m", 0), ("1m", 7)]


def test_candles_loaded_for_a_timeframe_are_delivered_instead_of_made() -> None:
    minutes = minute_bars(10)
    loaded = aggregate(minutes, "5m")
    loaded = series(
        "ESZ6",
        "5m",
        loaded.open_time,
        loaded.close_time,
        loaded.open,
        loaded.high + 1,
        loaded.low,
        loaded.close,
        loaded.volume,
    )
    strategy = Recorder([Subscription("ESZ6", "5m")])
    run(strategy, [minutes, loaded])

    five = [c for c in strategy.seen if c.timeframe == "5m"]
    assert [c.high for c in five] == (loaded.high).tolist()


def test_symbols_are_merged_by_close_time_in_subscription_order() -> None:
    es = minute_bars(4)
    nq = minute_bars(4, symbol="NQZ6", seed=9, skip=[1])
    strategy = Recorder()
    subs = (Subscription("NQZ6", "1m"), Subscription("ESZ6", "1m"))
    run(strategy, [es, nq], subs=subs)

    assert [(s, m) for s, _, m in delivered(strategy)] == [
        ("NQZ6", 0),
        ("ESZ6", 0),
        ("ESZ6", 1),
        ("NQZ6", 2),
        ("ESZ6", 2),
        ("NQZ6", 3),
        ("ESZ6", 3),
    ]


def test_an_order_sent_on_a_higher_timeframe_fills_at_the_next_execution_bars_open() -> None:
    minutes = minute_bars(12)
    strategy = Recorder(buy_on="5m")
    subs = (Subscription("ESZ6", "5m"),)
    result = run(strategy, [minutes], subs=subs, open_trades=OpenTrades.REPORT)

    assert {c.timeframe for c in strategy.seen} == {"5m"}
    [fill] = result.fills
    assert fill.ts_ns == int(minutes.open_time[5])
    assert fill.price == Decimal(repr(float(minutes.open[5])))
    assert result.open_trades[0].entry_bar == 5


def test_daily_candles_follow_the_instruments_trading_day() -> None:
    start = random_walk(1).open_time[0]  # 2026-01-05 00:00 UTC; Globex days start 23:00 UTC
    flat = np.full(48, 5000.0)
    hours = series(
        "ESZ6", "1h", start + np.arange(48) * 60 * MINUTE, start + np.arange(1, 49) * 60 * MINUTE,
        flat, flat, flat, flat, np.ones(48),
    )  # fmt: skip
    days = aggregate(hours, "1d", CME_GLOBEX)

    assert ((days.open_time - start) // (60 * MINUTE)).tolist() == [-1, 23]
    assert days.volume.tolist() == [23.0, 24.0]  # the last day (from 47:00) has not closed


def test_a_subscription_without_data_is_refused() -> None:
    with pytest.raises(DataError, match="no candles of NQZ6"):
        run(Recorder(), [minute_bars(5)], subs=(Subscription("NQZ6", "1m"),))


def test_a_timeframe_that_cannot_be_made_from_the_data_is_refused() -> None:
    with pytest.raises(DataError, match="cannot make 90s candles from 1m"):
        run(Recorder([Subscription("ESZ6", "90s")]), [minute_bars(5)])
