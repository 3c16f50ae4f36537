"""Backtest candles read from a real InfluxDB, as the market data engine stores them."""

from __future__ import annotations

import numpy as np
import pytest

from shared.backtest import DataError, run_backtest
from shared.backtest.influx_source import load_influx
from shared.backtest.synthetic import random_walk
from shared.tsdb import InfluxDB
from tests.integration.backtest.conftest import candle_lines
from tests.unit.backtest.support import definition

pytestmark = pytest.mark.integration

BARS = random_walk(2_500, seed=21)
MINUTE = 60_000_000_000


async def test_candles_come_back_exactly_in_pages(influx: InfluxDB) -> None:
    await influx.write_lines(candle_lines(BARS))
    other = random_walk(50, symbol="NQZ6", seed=2, price=18_000.0)
    await influx.write_lines(candle_lines(other))

    loaded = await load_influx(influx, "ESZ6", "1m", page_rows=700)

    assert (loaded.symbol, loaded.timeframe, len(loaded)) == ("ESZ6", "1m", len(BARS))
    for name in ("open_time", "close_time", "open", "high", "low", "close", "volume", "vwap"):
        assert np.array_equal(getattr(loaded, name), getattr(BARS, name)), name


async def test_a_period_selects_the_candles_opening_in_it(influx: InfluxDB) -> None:
    await influx.write_lines(candle_lines(BARS))
    start = int(BARS.open_time[100])

    loaded = await load_influx(influx, "ESZ6", "1m", start, start + 60 * MINUTE)

    assert loaded.open_time.tolist() == BARS.open_time[100:160].tolist()


async def test_a_backtest_on_influx_candles_equals_one_on_the_same_candles(
    influx: InfluxDB,
) -> None:
    await influx.write_lines(candle_lines(BARS))
    loaded = await load_influx(influx, "ESZ6", "1m")
    strategy = definition(fast=5, slow=20)

    from_influx = run_backtest(strategy, [loaded])
    in_memory = run_backtest(strategy, [BARS])

    assert len(from_influx.trades) > 20
    assert from_influx.trades == in_memory.trades
    assert from_influx.statistics == in_memory.statistics


async def test_no_candles_in_the_period_is_a_data_error(influx: InfluxDB) -> None:
    with pytest.raises(DataError, match="no candles in the period"):
        await load_influx(influx, "ESZ6", "1m")
