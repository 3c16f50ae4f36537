"""Indicators by name: the registry strategies and rule engines will use."""

import math

import pytest

from shared.indicators import (
    ATR,
    EMA,
    INDICATORS,
    MACD,
    RSI,
    SMA,
    BollingerBands,
    Donchian,
    SessionVWAP,
    bollinger,
    indicator,
    macd,
    parameters,
    sma,
)


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("sma", SMA),
        ("ema", EMA),
        ("rsi", RSI),
        ("macd", MACD),
        ("atr", ATR),
        ("bollinger", BollingerBands),
        ("vwap", SessionVWAP),
        ("donchian", Donchian),
    ],
)
def test_each_name_builds_its_streaming_class(name, cls):
    assert isinstance(indicator(name), cls)
    assert INDICATORS[name] is cls


def test_parameters_reach_the_instance_and_names_ignore_case():
    ema = indicator("EMA", period=20)
    assert isinstance(ema, EMA) and ema.period == 20 and ema.alpha == pytest.approx(2 / 21)
    bands = indicator("bollinger", period=10, k=1.5)
    assert (bands.period, bands.k) == (10, 1.5)
    lines = indicator("macd", fast=5, slow=35, signal=5)
    assert (lines.fast, lines.slow, lines.signal) == (5, 35, 5)


def test_defaults_follow_the_usual_settings():
    assert parameters("rsi") == {"period": 14}
    assert parameters("macd") == {"fast": 12, "slow": 26, "signal": 9}
    assert parameters("bollinger") == {"period": 20, "k": 2.0}
    assert parameters("atr") == {"period": 14}
    assert parameters("vwap") == {}


def test_an_unknown_name_is_refused_with_the_known_ones_listed():
    with pytest.raises(ValueError, match=r"unknown indicator 'kama'.*sma, ema"):
        indicator("kama")


def test_an_unknown_parameter_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown parameter 'length'"):
        indicator("sma", length=20)
    with pytest.raises(ValueError, match="unknown parameter 'period'"):
        indicator("vwap", period=20)


@pytest.mark.parametrize("bad", [0, -3, 2.5, 14.0, "14", None, True])
@pytest.mark.parametrize("name", ["sma", "ema", "rsi", "atr", "bollinger", "donchian"])
def test_a_bad_period_is_refused_naming_the_parameter(name, bad):
    with pytest.raises(ValueError, match=r"^period must be an integer >= 1"):
        indicator(name, period=bad)


@pytest.mark.parametrize("bad", [0, -2.0, math.nan, math.inf, "2", False])
def test_a_bad_band_multiplier_is_refused_naming_the_parameter(bad):
    with pytest.raises(ValueError, match=r"^k must be"):
        indicator("bollinger", k=bad)
    with pytest.raises(ValueError, match=r"^k must be"):
        bollinger([1.0, 2.0], 2, k=bad)


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"fast": 0}, "fast"),
        ({"slow": 1, "fast": 1}, "slow"),
        ({"signal": 0}, "signal"),
        ({"fast": 26, "slow": 12}, "fast must be less than slow"),
        ({"fast": 12, "slow": 12}, "fast must be less than slow"),
    ],
)
def test_bad_macd_periods_are_refused_naming_the_parameter(params, named):
    with pytest.raises(ValueError, match=f"^{named}"):
        indicator("macd", **params)
    with pytest.raises(ValueError, match=f"^{named}"):
        macd([1.0] * 40, **params)


def test_batch_functions_check_their_period_too():
    with pytest.raises(ValueError, match=r"^period"):
        sma([1.0, 2.0], 0)


@pytest.mark.parametrize("name", sorted(INDICATORS))
def test_every_indicator_declares_its_inputs_and_outputs_and_keeps_no_instance_dict(name):
    instance = indicator(name)
    assert set(instance.INPUTS) <= {"high", "low", "close", "volume"}
    assert instance.OUTPUTS
    assert not hasattr(instance, "__dict__")
    assert instance.value is None and not instance.ready
