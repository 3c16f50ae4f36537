"""Averages and oscillators on cases worked out by hand: warm-up, seeding, formulas."""

import math

import numpy as np
import pytest

from shared.indicators import (
    ATR,
    MACD,
    RSI,
    atr,
    macd,
    rsi,
    true_range,
)

from .support import compute

FORMS = ["batch", "streaming"]
nan = math.nan


def assert_series(got, expected):
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("form", FORMS)
def test_sma_averages_the_last_period_values_after_period_minus_one_nans(form):
    (out,) = compute(form, "sma", [1.0, 2.0, 3.0, 4.0, 5.0], period=3)
    assert_series(out, [nan, nan, 2.0, 3.0, 4.0])


@pytest.mark.parametrize("form", FORMS)
def test_ema_is_seeded_with_the_sma_and_uses_alpha_2_over_n_plus_1(form):
    # alpha = 2/3; seed (2 + 4) / 2 = 3; then 3 + 2/3 (6 - 3) = 5, 5 + 2/3 (8 - 5) = 7, ...
    (out,) = compute(form, "ema", [2.0, 4.0, 6.0, 8.0, 12.0], period=2)
    assert_series(out, [nan, 3.0, 5.0, 7.0, 7.0 + 2.0 / 3.0 * 5.0])


@pytest.mark.parametrize("form", FORMS)
def test_rsi_seeds_with_simple_averages_then_smooths_the_wilder_way(form):
    # changes +1, -1, +1: seeds gain 0.5, loss 0.5 -> 50; then gain (0.5 + 1) / 2 = 0.75,
    # loss (0.5 + 0) / 2 = 0.25 -> 75.
    (out,) = compute(form, "rsi", [1.0, 2.0, 1.0, 2.0], period=2)
    assert_series(out, [nan, nan, 50.0, 75.0])


@pytest.mark.parametrize(
    ("closes", "expected"),
    [
        ([float(i) for i in range(20)], 100.0),
        ([float(-i) for i in range(20)], 0.0),
        ([7.0] * 20, 0.0),  # TA-Lib's convention for a flat market (no gains, no losses)
    ],
)
def test_rsi_of_one_way_and_flat_markets(closes, expected):
    out = rsi(closes, 14)
    assert np.isnan(out[:14]).all()
    assert (out[14:] == expected).all()
    indicator = RSI(14)
    assert [indicator.update(c) for c in closes][14:] == [expected] * 6


@pytest.mark.parametrize("form", FORMS)
def test_atr_starts_at_index_period_from_true_ranges_of_bars_1_to_period(form):
    high = [10.0, 11.0, 12.0, 15.0]
    low = [8.0, 9.0, 10.0, 14.0]
    close = [9.0, 10.0, 11.0, 14.5]
    # True ranges of bars 1..3: 2, 2, max(1, |11 - 15|, |11 - 14|) = 4.
    (out,) = compute(form, "atr", high, low, close, period=2)
    assert_series(out, [nan, nan, 2.0, (2.0 * 1 + 4.0) / 2])


def test_atr_of_period_1_is_the_true_range():
    rng = np.random.default_rng(3)
    close = 100 + np.cumsum(rng.normal(size=50))
    high, low = close + rng.random(50), close - rng.random(50)
    assert_series(atr(high, low, close, 1), true_range(high, low, close))
    assert np.isnan(true_range(high, low, close)[0])
    assert ATR(1).update(high[0], low[0], close[0]) is None


@pytest.mark.parametrize("form", FORMS)
def test_macd_starts_the_fast_ema_late_so_both_emas_start_together(form):
    # slow EMA(4) seed at bar 3: (0 + 0 + 4 + 8) / 4 = 3; fast EMA(2) seed at bar 3 is the
    # mean of bars 2..3 = 6 (not an EMA run from bar 0). Bar 4: fast 6 + 2/3 (8 - 6),
    # slow 3 + 0.4 (8 - 3) = 5; signal EMA(2) seed = mean of lines 3 and 7/3 = 8/3.
    line, signal, histogram = compute(
        form, "macd", [0.0, 0.0, 4.0, 8.0, 8.0], fast=2, slow=4, signal=2
    )
    fast_4 = 6.0 + 2.0 / 3.0 * 2.0
    assert_series(line, [nan, nan, nan, nan, fast_4 - 5.0])
    assert_series(signal, [nan, nan, nan, nan, (3.0 + fast_4 - 5.0) / 2.0])
    assert_series(histogram, line - signal)


def test_macd_default_output_starts_at_index_33():
    closes = np.linspace(100.0, 140.0, 60)
    assert [np.isnan(v).sum() for v in macd(closes)] == [33, 33, 33]
    indicator = MACD()
    assert [indicator.update(c) is None for c in closes].count(True) == 33
