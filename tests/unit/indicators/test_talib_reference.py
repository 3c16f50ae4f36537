"""Match TA-Lib's own regression tests on its 252-bar reference series, in both forms.

Expected values are copied from TA-Lib's src/tools/ta_regtest/ta_test_func/*.c tables
(https://github.com/TA-Lib/ta-lib). Those tables print outputs cut to 2 or 4 decimals, so
a value may sit up to one unit of the last printed decimal away; the tolerances are
exactly that. Indexes below are bar indexes (TA-Lib's output index + its begIdx).
"""

import numpy as np
import pytest

from shared.indicators import Donchian, donchian

from .support import compute
from .talib_series import CLOSE, HIGH, LOW

FORMS = ["batch", "streaming"]
TWO_DECIMALS = 0.01
FOUR_DECIMALS = 1e-4


def first_value_index(values: np.ndarray) -> int:
    return int(np.flatnonzero(~np.isnan(values))[0])


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("period", "expected"),
    [
        # test_ma.c, TA_MA_SIMPLE, TA_COMPATIBILITY_DEFAULT
        (2, {1: 93.15, 2: 94.59, 3: 94.73, 251: 108.31}),
        (30, {29: 90.42, 30: 90.21, 31: 89.96, 58: 87.12, 250: 107.95, 251: 108.42}),
    ],
)
def test_sma_matches_talib(form, period, expected):
    (out,) = compute(form, "sma", CLOSE, period=period)
    assert first_value_index(out) == period - 1
    for index, value in expected.items():
        assert out[index] == pytest.approx(value, abs=TWO_DECIMALS)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("period", "expected"),
    [
        # test_ma.c, TA_MA_EXPONENTIAL, TA_COMPATIBILITY_DEFAULT (seeded with the SMA)
        (2, {1: 93.15, 2: 93.96, 251: 108.21}),
        (10, {9: 93.22, 10: 93.75, 29: 86.46, 251: 108.97}),
    ],
)
def test_ema_matches_talib(form, period, expected):
    (out,) = compute(form, "ema", CLOSE, period=period)
    assert first_value_index(out) == period - 1
    for index, value in expected.items():
        assert out[index] == pytest.approx(value, abs=TWO_DECIMALS)


@pytest.mark.parametrize("form", FORMS)
def test_rsi_matches_talib(form):
    # test_rsi.c, RSI(14), TA_COMPATIBILITY_DEFAULT: begIdx 14
    (out,) = compute(form, "rsi", CLOSE, period=14)
    assert first_value_index(out) == 14
    for index, value in {14: 49.14, 15: 52.32, 16: 46.07, 251: 49.63}.items():
        assert out[index] == pytest.approx(value, abs=TWO_DECIMALS)


@pytest.mark.parametrize("form", FORMS)
def test_macd_matches_talib_including_its_fast_ema_seeding(form):
    # test_macd.c, MACD(12, 26, 9): begIdx 33, MACD -1.9738, signal -2.7071. Running the
    # fast EMA from bar 0 instead would give -2.1835 here, so this pins TA-Lib's seeding.
    line, signal, histogram = compute(form, "macd", CLOSE, fast=12, slow=26, signal=9)
    for output in (line, signal, histogram):
        assert first_value_index(output) == 33
    assert line[33] == pytest.approx(-1.9738, abs=FOUR_DECIMALS)
    assert signal[33] == pytest.approx(-2.7071, abs=FOUR_DECIMALS)
    assert histogram[33] == pytest.approx(-1.9738 + 2.7071, abs=2 * FOUR_DECIMALS)


@pytest.mark.parametrize("form", FORMS)
def test_bollinger_matches_talib(form):
    # test_bbands.c, BBANDS(20, 2.0, 2.0, TA_BBANDS_SIMPLE): begIdx 19
    middle, upper, lower = compute(form, "bollinger", CLOSE, period=20, k=2.0)
    assert first_value_index(middle) == 19
    assert upper[19] == pytest.approx(98.0734, abs=FOUR_DECIMALS)
    assert middle[19] == pytest.approx(92.8910, abs=FOUR_DECIMALS)
    assert lower[19] == pytest.approx(87.7086, abs=FOUR_DECIMALS)


@pytest.mark.parametrize("form", FORMS)
def test_atr_matches_talib_natr(form):
    # test_per_hlc.c pins NATR(14) = 100 * ATR(14) / close: begIdx 14, so the first ATR
    # is at bar 14 and averages the true ranges of bars 1..14 (bar 0 has none).
    (out,) = compute(form, "atr", HIGH, LOW, CLOSE, period=14)
    assert first_value_index(out) == 14
    natr = 100.0 * out / np.asarray(CLOSE)
    for index, value in {14: 3.9321, 15: 3.7576, 251: 3.0229}.items():
        assert natr[index] == pytest.approx(value, abs=FOUR_DECIMALS)


@pytest.mark.parametrize(
    ("period", "bar", "upper", "middle", "lower"),
    [
        # test_donchian.c goldens (compared bitwise there too)
        (20, 19, 99.625, 93.1875, 86.75),
        (20, 100, 123.0, 112.36, 101.72),
        (20, 251, 122.12, 113.31, 104.5),
        (5, 4, 96.375, 93.5625, 90.75),
        (5, 100, 118.315, 114.4075, 110.5),
        (5, 251, 110.75, 108.685, 106.62),
    ],
)
def test_donchian_matches_talib_bitwise(period, bar, upper, middle, lower):
    channel = donchian(HIGH, LOW, period)
    assert (channel.upper[bar], channel.lower[bar], channel.middle[bar]) == (upper, lower, middle)
    streaming = Donchian(period)
    for high, low in zip(HIGH[: bar + 1], LOW[: bar + 1], strict=True):
        value = streaming.update(high, low)
    assert value == (upper, lower, middle)
    assert np.isnan(channel.upper[period - 2])
