"""The streaming form's contract: value, ready, reset and update_bar."""

from decimal import Decimal

import numpy as np
import pytest

from shared.indicators import INDICATORS, SessionVWAP, indicator
from shared.messages.schemas.marketdata import Bar

from .support import random_bars, stream


def bar(high: str, low: str, close: str, volume: str) -> Bar:
    return Bar(
        symbol="ESZ6",
        timeframe="1m",
        open_time=0,
        close_time=60_000_000_000,
        open=Decimal(close),
        high=Decimal(high),
        low=Decimal(low),
        close=Decimal(close),
        volume=Decimal(volume),
        trade_count=1,
    )


SMALL = {"macd": {"fast": 1, "slow": 2, "signal": 2}, "vwap": {}}


def make(name):
    """A short-warm-up instance, so a handful of bars makes it ready."""
    return indicator(name, **SMALL.get(name, {"period": 3}))


@pytest.mark.parametrize("name", sorted(INDICATORS))
def test_value_and_ready_follow_the_latest_update(name):
    instance = make(name)
    data = random_bars(5, length=60)
    columns = [data[field] for field in instance.INPUTS]
    last = None
    for row in zip(*columns, strict=True):
        result = instance.update(*(float(v) for v in row))
        assert instance.value == (result if result is not None else last)
        assert instance.ready == (instance.value is not None)
        last = instance.value
    assert instance.ready


@pytest.mark.parametrize("name", sorted(INDICATORS))
def test_reset_starts_over_and_reproduces_the_same_numbers(name):
    instance = make(name)
    data = random_bars(6, length=80)
    columns = [data[field] for field in instance.INPUTS]
    first = stream(instance, *columns)
    instance.reset()
    assert instance.value is None and not instance.ready
    again = stream(instance, *columns)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", sorted(INDICATORS))
def test_update_bar_reads_a_bar_message_like_update_reads_floats(name):
    bars = [
        bar("4001.25", "3999.50", "4000.75", "12"),
        bar("4002.00", "4000.25", "4001.50", "30"),
        bar("4001.75", "3998.00", "3998.25", "7"),
        bar("4000.00", "3997.50", "3999.75", "0"),
        bar("4003.25", "3999.00", "4003.00", "41"),
    ]
    by_bar, by_floats = make(name), make(name)
    for b in bars:
        expected = by_floats.update(*(float(getattr(b, field)) for field in by_floats.INPUTS))
        assert by_bar.update_bar(b) == expected
    assert by_bar.ready


def test_vwap_update_bar_takes_a_session_key():
    indicator_ = SessionVWAP()
    assert indicator_.update_bar(bar("11", "9", "10", "5"), session="2026-05-11") == 10.0
    assert indicator_.update_bar(bar("21", "19", "20", "5"), session="2026-05-12") == 20.0
