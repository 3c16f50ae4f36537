"""Bands, channels and VWAP on cases worked out by hand; input shapes and short series."""

import math

import numpy as np
import pytest

from shared.indicators import (
    BollingerBands,
    Donchian,
    SessionVWAP,
    atr,
    bollinger,
    donchian,
    ema,
    sma,
    vwap,
)

from .support import compute

FORMS = ["batch", "streaming"]
nan = math.nan


def assert_series(got, expected):
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("form", FORMS)
def test_bollinger_uses_the_population_standard_deviation(form):
    middle, upper, lower = compute(form, "bollinger", [1.0, 2.0, 3.0, 4.0, 5.0], period=5, k=2.0)
    # population variance of 1..5 is 2 (the sample variance would be 2.5)
    assert_series(middle, [nan] * 4 + [3.0])
    assert_series(upper, [nan] * 4 + [3.0 + 2.0 * math.sqrt(2.0)])
    assert_series(lower, [nan] * 4 + [3.0 - 2.0 * math.sqrt(2.0)])


def test_bollinger_bands_collapse_on_a_flat_market():
    bands = bollinger([4000.25] * 30, 20)
    assert (bands.upper[19:] == 4000.25).all() and (bands.lower[19:] == 4000.25).all()
    indicator = BollingerBands(20)
    for _ in range(30):
        value = indicator.update(4000.25)
    assert value == (4000.25, 4000.25, 4000.25)


@pytest.mark.parametrize("form", FORMS)
def test_donchian_spans_the_last_period_bars_including_the_current_one(form):
    high = [5.0, 7.0, 6.0, 4.0, 3.0]
    low = [4.0, 5.0, 2.0, 3.0, 1.0]
    upper, lower, middle = compute(form, "donchian", high, low, period=3)
    assert_series(upper, [nan, nan, 7.0, 7.0, 6.0])
    assert_series(lower, [nan, nan, 2.0, 2.0, 1.0])
    assert_series(middle, [nan, nan, 4.5, 4.5, 3.5])


def test_donchian_streaming_tracks_repeated_and_expiring_extremes():
    highs = [3.0, 3.0, 1.0, 1.0, 1.0, 2.0]
    indicator = Donchian(3)
    uppers = [indicator.update(h, h - 1.0) for h in highs]
    assert [u.upper if u else None for u in uppers] == [None, None, 3.0, 3.0, 1.0, 2.0]
    assert_series(donchian(highs, np.array(highs) - 1.0, 3).upper, [nan, nan, 3, 3, 1, 2])


def test_vwap_weights_the_typical_price_by_volume_and_restarts_each_session():
    high = [11.0, 12.0, 21.0, 22.0]
    low = [9.0, 10.0, 19.0, 20.0]
    close = [10.0, 11.0, 20.0, 21.0]  # typical prices 10, 11, 20, 21
    volume = [100.0, 300.0, 50.0, 50.0]
    session = [1, 1, 2, 2]
    expected = [10.0, (10 * 100 + 11 * 300) / 400, 20.0, 20.5]
    assert_series(vwap(high, low, close, volume, session), expected)
    indicator = SessionVWAP()
    got = [indicator.update(*bar) for bar in zip(high, low, close, volume, session, strict=True)]
    assert_series(got, expected)
    assert vwap(high, low, close, volume)[2] == pytest.approx((4300 + 1000) / 450)


def test_vwap_session_can_be_signalled_and_is_undefined_until_volume_trades():
    indicator = SessionVWAP()
    assert indicator.update(11.0, 9.0, 10.0, 100.0) == 10.0
    indicator.start_session()
    assert indicator.value is None and not indicator.ready
    assert indicator.update(31.0, 29.0, 30.0, 0.0) is None
    assert indicator.update(21.0, 19.0, 20.0, 10.0) == 20.0
    out = vwap([31.0, 21.0], [29.0, 19.0], [30.0, 20.0], [0.0, 10.0])
    assert np.isnan(out[0]) and out[1] == 20.0


def test_vwap_refuses_negative_or_missing_volume():
    with pytest.raises(ValueError, match="volume"):
        SessionVWAP().update(11.0, 9.0, 10.0, -1.0)
    with pytest.raises(ValueError, match="volume"):
        vwap([11.0], [9.0], [10.0], [nan])


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("name", "columns", "params"),
    [
        ("sma", 1, {"period": 5}),
        ("ema", 1, {"period": 5}),
        ("rsi", 1, {"period": 5}),
        ("atr", 3, {"period": 5}),
        ("bollinger", 1, {"period": 5}),
        ("donchian", 2, {"period": 5}),
        ("macd", 1, {}),
    ],
)
def test_series_shorter_than_the_warm_up_give_only_nans(form, name, columns, params):
    for output in compute(form, name, *[[1.0, 2.0, 3.0]] * columns, **params):
        assert len(output) == 3 and np.isnan(output).all()


def test_batch_functions_accept_empty_series_and_reject_mismatched_or_2d_input():
    assert len(sma([], 3)) == 0 and len(vwap([], [], [], [])) == 0
    with pytest.raises(ValueError, match="same length"):
        atr([1.0, 2.0], [1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="one-dimensional"):
        ema([[1.0, 2.0]], 2)
    with pytest.raises(ValueError, match="session"):
        vwap([1.0], [1.0], [1.0], [1.0], session=[1, 2])
