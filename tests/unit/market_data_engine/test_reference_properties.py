"""Every timeframe's candles, streaming and batch, equal pandas resampling of the same trades."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from market_data_engine.domain.aggregator import Aggregator
from market_data_engine.domain.batch import aggregate
from market_data_engine.domain.candles import Candle
from market_data_engine.domain.timeframes import DEFAULT_TIMEFRAMES
from shared.instruments import CME_GLOBEX
from tests.unit.market_data_engine.reference import Row, pandas_candles, row
from tests.unit.market_data_engine.streams import (
    ANCHORS,
    MINUTE,
    PROPERTIES,
    TIMEFRAME_SETS,
    in_order_trades,
)


def by_timeframe(candles: list[Candle]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for candle in candles:
        grouped[candle.timeframe].append(row(candle))
    return grouped


def stream(timeframes: tuple[str, ...], ts: list[int], price: list[int], size: list[int]):
    aggregator = Aggregator(timeframes)
    index = aggregator.add_symbol("ES", CME_GLOBEX)
    late = sum(aggregator.on_trade(index, *trade) for trade in zip(ts, price, size, strict=True))
    aggregator.flush()
    return by_timeframe(aggregator.take_closed()), late


@PROPERTIES
@given(trades=in_order_trades(), timeframes=st.sampled_from(TIMEFRAME_SETS))
def test_streaming_candles_equal_pandas_resampling(trades, timeframes):
    ts, price, size = trades
    candles, late = stream(timeframes, ts, price, size)
    assert late == 0
    assert set(candles) <= set(timeframes)
    for timeframe in timeframes:
        assert candles[timeframe] == pandas_candles(ts, price, size, timeframe), timeframe


@PROPERTIES
@given(trades=in_order_trades(), timeframes=st.sampled_from(TIMEFRAME_SETS))
def test_batch_candles_equal_pandas_resampling(trades, timeframes):
    ts, price, size = trades
    columns = aggregate(np.array(ts), np.array(price), np.array(size), timeframes, CME_GLOBEX)
    assert set(columns) == set(timeframes)
    for timeframe in timeframes:
        got = [row(candle) for candle in columns[timeframe].candles("ES", timeframe)]
        assert got == pandas_candles(ts, price, size, timeframe), timeframe


def test_a_long_seeded_stream_gives_the_same_candles_streaming_batch_and_pandas():
    rng = np.random.default_rng(7)
    count = 60_000
    gaps = rng.choice(
        [0, 10**6, 10**8, 10**10, MINUTE * 90], size=count, p=[0.1, 0.4, 0.4, 0.09, 0.01]
    )
    ts = ANCHORS[0] + np.cumsum(gaps)
    price = 20_000 + np.cumsum(rng.integers(-2, 3, count))
    size = rng.integers(1, 50, count)
    streamed, _ = stream(DEFAULT_TIMEFRAMES, ts.tolist(), price.tolist(), size.tolist())
    columns = aggregate(ts, price, size, DEFAULT_TIMEFRAMES, CME_GLOBEX)
    for timeframe in DEFAULT_TIMEFRAMES:
        expected = pandas_candles(ts.tolist(), price.tolist(), size.tolist(), timeframe)
        assert len(expected) > 1
        assert streamed[timeframe] == expected, timeframe
        assert [row(c) for c in columns[timeframe].candles("ES", timeframe)] == expected
