"""The numpy batch form's edge cases (its agreement with pandas is a property test)."""

from __future__ import annotations

import numpy as np
import pytest

from market_data_engine.domain.aggregator import Aggregator
from market_data_engine.domain.batch import aggregate
from shared.instruments import CME_GLOBEX
from tests.unit.market_data_engine.streams import ANCHORS, MINUTE

T0 = ANCHORS[0]


def test_unsorted_trades_are_refused():
    with pytest.raises(ValueError, match="sorted"):
        aggregate(np.array([T0 + 1, T0]), np.array([1, 2]), np.array([1, 1]))


def test_no_trades_give_no_candles_on_every_timeframe():
    empty = np.zeros(0, np.int64)
    result = aggregate(empty, empty, empty, session=CME_GLOBEX)
    assert set(result) == {"1m", "5m", "15m", "1h", "4h", "1d"}
    assert all(columns.candles("ES", tf) == [] for tf, columns in result.items())


def test_turnover_too_large_for_int64_is_summed_exactly():
    ts = np.array([T0, T0 + 1, T0 + MINUTE])
    price = np.array([2**40, 2**40 + 1, 3])
    size = np.array([2**30, 2**30, 1])
    result = aggregate(ts, price, size, ("1m", "1d"), CME_GLOBEX)
    (first, _) = result["1m"].candles("ES", "1m")
    assert first.turnover == 2**70 + 2**70 + 2**30
    streaming = Aggregator(("1m", "1d"))
    index = streaming.add_symbol("ES", CME_GLOBEX)
    for trade in zip(ts.tolist(), price.tolist(), size.tolist(), strict=True):
        streaming.on_trade(index, *trade)
    streaming.flush()
    assert sorted(streaming.take_closed()) == sorted(
        result["1m"].candles("ES", "1m") + result["1d"].candles("ES", "1d")
    )


def test_float_prices_aggregate_too():
    ts = np.array([T0, T0 + 1, T0 + 2])
    result = aggregate(ts, np.array([1.5, 2.25, 1.0]), np.array([1.0, 0.5, 2.0]), ("1m",))
    (candle,) = result["1m"].candles("BTC-USD", "1m")
    assert (candle.open, candle.high, candle.low, candle.close) == (1.5, 2.25, 1.0, 1.0)
    assert candle.volume == 3.5
    assert candle.turnover == pytest.approx(1.5 + 1.125 + 2.0)
