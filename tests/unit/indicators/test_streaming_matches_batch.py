"""Streaming and batch forms give the same numbers, warm-up NaNs included."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .support import FORMS, batch, compute, random_bars, stream

SETTINGS = settings(derandomize=True, max_examples=150, deadline=None)


CASES = [
    ("sma", {"period": 1}),
    ("sma", {"period": 20}),
    ("sma", {"period": 200}),
    ("ema", {"period": 1}),
    ("ema", {"period": 10}),
    ("ema", {"period": 50}),
    ("rsi", {"period": 1}),
    ("rsi", {"period": 14}),
    ("macd", {"fast": 12, "slow": 26, "signal": 9}),
    ("macd", {"fast": 1, "slow": 2, "signal": 1}),
    ("atr", {"period": 1}),
    ("atr", {"period": 14}),
    ("bollinger", {"period": 1, "k": 2.0}),
    ("bollinger", {"period": 20, "k": 2.0}),
    ("bollinger", {"period": 50, "k": 1.5}),
    ("donchian", {"period": 1}),
    ("donchian", {"period": 20}),
    ("vwap", {}),
]


def columns_for(name: str, bars: dict[str, np.ndarray]) -> list[np.ndarray]:
    inputs = FORMS[name][1].INPUTS
    columns = [bars[field] for field in inputs]
    return [*columns, bars["session"]] if name == "vwap" else columns


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize(("name", "params"), CASES, ids=str)
def test_streaming_equals_batch_on_random_bars(seed, name, params):
    columns = columns_for(name, random_bars(seed))
    expected = batch(name, *columns, **params)
    got = compute("streaming", name, *columns, **params)
    for e, g in zip(expected, got, strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-9, atol=0)  # also checks NaN positions


def test_bollinger_width_stays_exact_over_a_long_series_of_tiny_moves():
    # Price near 5000 moving by a hundredth: the width lives in the 5th significant
    # digit, so running sums of raw x**2 (TA-Lib's way) would lose it; ours must not.
    rng = np.random.default_rng(7)
    close = 5000.0 + 0.01 * np.cumsum(rng.choice([-1.0, 0.0, 0.0, 1.0], 50_000))
    middle, upper, _ = batch("bollinger", close, period=20, k=2.0)
    s_middle, s_upper, _ = stream(FORMS["bollinger"][1](period=20, k=2.0), close)
    np.testing.assert_allclose(s_upper - s_middle, upper - middle, rtol=1e-7, atol=1e-12)


def series(min_size: int = 0):
    return st.lists(
        st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False),
        min_size=min_size,
        max_size=60,
    )


def assert_same(name, columns, params, prices=None):
    """Streaming == batch; ``prices`` (default: all columns) set the absolute tolerance."""
    prices = columns if prices is None else prices
    scale = 1.0 + max((abs(v) for column in prices for v in column), default=0.0)
    expected = batch(name, *columns, **params)
    got = compute("streaming", name, *columns, **params)
    for e, g in zip(expected, got, strict=True):
        # Windowed sums of values of either sign carry rounding relative to the inputs'
        # magnitude, not to a result that happens to sit near zero.
        np.testing.assert_allclose(g, e, rtol=1e-9, atol=1e-9 * scale)


@SETTINGS
@given(close=series(), period=st.integers(1, 25), name=st.sampled_from(["sma", "ema", "rsi"]))
def test_streaming_equals_batch_for_any_closes(close, period, name):
    assert_same(name, [close], {"period": period})


@SETTINGS
@given(close=series(), period=st.integers(1, 25), k=st.floats(0.1, 4.0))
def test_streaming_bollinger_equals_batch_for_any_closes(close, period, k):
    assert_same("bollinger", [close], {"period": period, "k": k})


@SETTINGS
@given(close=series(), flat=st.floats(-10.0, 10.0), period=st.integers(1, 25))
def test_streaming_bollinger_equals_batch_when_the_market_goes_flat(close, flat, period):
    # After large moves the running sums hold large squares; once the window is flat the
    # true deviation is 0 and rounding in those sums must not show through.
    assert_same("bollinger", [[*close, *[flat] * period]], {"period": period, "k": 2.0})


@SETTINGS
@given(close=series(), fast=st.integers(1, 8), extra=st.integers(1, 10), signal=st.integers(1, 8))
def test_streaming_macd_equals_batch_for_any_closes(close, fast, extra, signal):
    assert_same("macd", [close], {"fast": fast, "slow": fast + extra, "signal": signal})


@st.composite
def bars(draw, min_size=0):
    close = draw(series(min_size))
    size = len(close)
    wick = st.floats(min_value=0.0, max_value=100.0, allow_nan=False)
    up = draw(st.lists(wick, min_size=size, max_size=size))
    down = draw(st.lists(wick, min_size=size, max_size=size))
    volume = draw(st.lists(st.integers(0, 1000).map(float), min_size=size, max_size=size))
    session = draw(st.lists(st.integers(0, 2), min_size=size, max_size=size).map(sorted))
    high = [c + u for c, u in zip(close, up, strict=True)]
    low = [c - d for c, d in zip(close, down, strict=True)]
    return {"high": high, "low": low, "close": close, "volume": volume, "session": session}


@SETTINGS
@given(data=bars(), period=st.integers(1, 25), name=st.sampled_from(["atr", "donchian"]))
def test_streaming_equals_batch_for_any_bars(data, period, name):
    assert_same(name, [data[f] for f in FORMS[name][1].INPUTS], {"period": period})


@SETTINGS
@given(data=bars())
def test_streaming_vwap_equals_batch_for_any_bars(data):
    columns = [data[f] for f in ("high", "low", "close", "volume", "session")]
    assert_same("vwap", columns, {}, prices=columns[:3])
