"""Properties that hold for any input, checked on generated (seeded) series."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.indicators import (
    EMA,
    RSI,
    SMA,
    BollingerBands,
    Donchian,
    SessionVWAP,
    atr,
    bollinger,
    donchian,
    ema,
    macd,
    rsi,
    sma,
)

SETTINGS = settings(derandomize=True, max_examples=200, deadline=None)
prices = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)
closes = st.lists(prices, max_size=80)
periods = st.integers(1, 30)


@st.composite
def ohlc(draw, max_size=80):
    close = draw(st.lists(prices, max_size=max_size))
    wick = st.floats(0.0, 50.0)
    up = draw(st.lists(wick, min_size=len(close), max_size=len(close)))
    down = draw(st.lists(wick, min_size=len(close), max_size=len(close)))
    high = np.array(close) + np.array(up)
    low = np.array(close) - np.array(down)
    return high, low, np.array(close, dtype=float)


@SETTINGS
@given(value=prices, length=st.integers(0, 80), period=periods)
def test_sma_and_ema_of_a_constant_series_are_that_constant(value, length, period):
    series = [value] * length
    for out in (sma(series, period), ema(series, period)):
        defined = out[period - 1 :]
        assert len(defined) == max(0, length - period + 1)
        np.testing.assert_allclose(defined, value, rtol=1e-12, atol=1e-300)
    streaming = SMA(period), EMA(period)
    for indicator in streaming:
        last = None
        for v in series:
            last = indicator.update(v)
        if length >= period:
            assert math.isclose(last, value, rel_tol=1e-12, abs_tol=1e-300)


@SETTINGS
@given(close=closes, period=periods, k=st.floats(0.1, 5.0))
def test_bollinger_upper_is_at_least_middle_is_at_least_lower(close, period, k):
    bands = bollinger(close, period, k)
    defined = ~np.isnan(bands.middle)
    assert (bands.upper[defined] >= bands.middle[defined]).all()
    assert (bands.middle[defined] >= bands.lower[defined]).all()
    indicator = BollingerBands(period, k)
    for v in close:
        value = indicator.update(v)
        assert value is None or value.upper >= value.middle >= value.lower


@SETTINGS
@given(close=closes, period=periods)
def test_rsi_stays_within_0_and_100(close, period):
    out = rsi(close, period)
    defined = out[~np.isnan(out)]
    assert ((defined >= 0.0) & (defined <= 100.0)).all()
    indicator = RSI(period)
    for v in close:
        value = indicator.update(v)
        assert value is None or 0.0 <= value <= 100.0


@SETTINGS
@given(bars=ohlc(), period=periods)
def test_donchian_contains_the_close_and_equals_the_window_extremes(bars, period):
    high, low, close = bars
    channel = donchian(high, low, period)
    indicator = Donchian(period)
    for i in range(len(close)):
        value = indicator.update(high[i], low[i])
        if i < period - 1:
            assert value is None and np.isnan(channel.upper[i])
            continue
        assert channel.lower[i] <= close[i] <= channel.upper[i]
        assert value.upper == channel.upper[i] == high[i - period + 1 : i + 1].max()
        assert value.lower == channel.lower[i] == low[i - period + 1 : i + 1].min()


@SETTINGS
@given(bars=ohlc(), period=periods)
def test_atr_is_never_negative_and_starts_at_index_period(bars, period):
    out = atr(*bars, period=period)
    assert np.isnan(out[:period]).all()
    assert (out[period:] >= 0.0).all()


@SETTINGS
@given(close=closes, fast=st.integers(1, 8), extra=st.integers(1, 12), signal=st.integers(1, 8))
def test_macd_histogram_is_line_minus_signal_from_a_common_start(close, fast, extra, signal):
    lines = macd(close, fast, fast + extra, signal)
    start = fast + extra + signal - 2
    for line in lines:
        assert np.isnan(line[:start]).all()
        assert not np.isnan(line[start:]).any()
    np.testing.assert_array_equal(lines.histogram, lines.macd - lines.signal)


@SETTINGS
@given(bars=ohlc(), volume=st.lists(st.integers(0, 1000), min_size=80, max_size=80))
def test_vwap_stays_within_the_sessions_price_range(bars, volume):
    high, low, close = bars
    indicator = SessionVWAP()
    for i in range(len(close)):
        value = indicator.update(high[i], low[i], close[i], float(volume[i]), session=i // 10)
        session_start = i - i % 10
        if value is None:
            assert sum(volume[session_start : i + 1]) == 0
            continue
        lowest = low[session_start : i + 1].min()
        highest = high[session_start : i + 1].max()
        slack = 1e-9 * (1.0 + max(abs(lowest), abs(highest)))
        assert lowest - slack <= value <= highest + slack
