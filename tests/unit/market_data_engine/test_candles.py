"""Candles leaving the core: integer ticks and steps to decimal ``Bar`` payloads."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from market_data_engine.domain.candles import Candle, Scale
from shared.instruments import STANDARD_FUTURES
from tests.unit.market_data_engine.streams import MINUTE, PROPERTIES

ES = next(i for i in STANDARD_FUTURES if i.root == "ES")


def test_scale_turns_on_grid_prices_into_ticks_and_refuses_off_grid_ones():
    scale = Scale.of(ES)
    assert scale.ticks(Decimal("5000.25")) == 20_001
    assert scale.ticks(Decimal("-37.50")) == -150
    assert scale.ticks(Decimal("5000.10")) is None
    assert scale.steps(Decimal(3)) == 3
    assert scale.steps(Decimal("0.5")) is None


def test_a_candle_in_ticks_becomes_a_decimal_bar():
    candle = Candle("ESZ6", "1m", 0, MINUTE, 20_000, 20_004, 19_999, 20_001, 6, 3, 120_005)
    bar = Scale.of(ES).bar(candle)
    assert (bar.open, bar.high, bar.low, bar.close) == (
        Decimal("5000.00"),
        Decimal("5001.00"),
        Decimal("4999.75"),
        Decimal("5000.25"),
    )
    assert (bar.volume, bar.trade_count) == (Decimal(6), 3)
    assert bar.vwap == Decimal(120_005) / 6 * Decimal("0.25")
    assert (bar.symbol, bar.timeframe, bar.open_time, bar.close_time) == ("ESZ6", "1m", 0, MINUTE)


def test_float_prices_convert_by_their_shortest_decimal():
    candle = Candle("BTC-USD", "1m", 0, MINUTE, 0.1, 0.3, 0.1, 0.2, 1.5, 2, 0.3)
    bar = Scale().bar(candle)
    assert (bar.open, bar.high, bar.volume) == (Decimal("0.1"), Decimal("0.3"), Decimal("1.5"))
    assert bar.vwap == Decimal("0.2")


@PROPERTIES
@given(
    trades=st.lists(
        st.tuples(st.integers(-(10**9), 10**9), st.integers(1, 10**6)), min_size=1, max_size=50
    ),
    tick=st.sampled_from(["0.25", "0.01", "1", "0.0001", "5"]),
)
def test_a_bar_always_passes_validation_with_its_vwap_inside_the_range(trades, tick):
    prices = [price for price, _ in trades]
    volume = sum(size for _, size in trades)
    turnover = sum(price * size for price, size in trades)
    candle = Candle(
        "X", "5m", 0, 5 * MINUTE, prices[0], max(prices), min(prices), prices[-1], volume,
        len(trades), turnover,
    )  # fmt: skip
    bar = Scale(Decimal(tick)).bar(candle)  # Bar's own validator checks low <= vwap <= high
    assert bar.vwap is not None
    assert bar.low <= bar.vwap <= bar.high
