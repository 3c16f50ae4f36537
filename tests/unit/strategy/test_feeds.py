"""Tracked indicators: which candle fields they read, value and previous, sessions."""

from __future__ import annotations

import pytest

from shared.indicators.session_vwap import SessionVWAP
from shared.strategy.feeds import Tracked, track
from tests.unit.strategy.support import candle


def test_a_single_input_indicator_reads_its_source_field() -> None:
    on_close, on_high = track("sma", "close", {"period": 2}), track("sma", "high", {"period": 2})
    for i, (close, high) in enumerate([(10.0, 12.0), (20.0, 30.0)]):
        c = candle(i, close, high=high)
        on_close.feed(c)
        on_high.feed(c)
    assert on_close.value == 15.0
    assert on_high.value == 21.0


def test_value_and_previous_follow_the_updates() -> None:
    t = track("sma", "close", {"period": 2})
    assert not t.ready
    t.feed(candle(0, 10.0))
    assert (t.value, t.previous, t.ready) == (None, None, False)
    t.feed(candle(1, 20.0))
    assert (t.value, t.previous, t.ready) == (15.0, None, False)
    t.feed(candle(2, 40.0))
    assert (t.value, t.previous, t.ready) == (30.0, 15.0, True)


def test_a_multi_input_indicator_reads_its_declared_fields() -> None:
    channel = track("donchian", "close", {"period": 2})
    channel.feed(candle(0, 10.0, high=11.0, low=9.0))
    channel.feed(candle(1, 12.0, high=13.0, low=10.0))
    assert channel.value == (13.0, 9.0, 11.0)


def test_an_unknown_source_field_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown bar field 'typical'"):
        track("sma", "typical", {"period": 2})


def test_session_keys_reach_the_indicator() -> None:
    vwap = Tracked(SessionVWAP(), "close")
    vwap.session = lambda open_time: open_time // 2  # a new session every other bar...
    step = 1
    for i, close in enumerate([10.0, 20.0, 30.0]):
        vwap.feed(candle(i, close, start=0, step=step))
    # ...bars 0 and 1 share key 0; bar 2 (open time 2) starts key 1: VWAP = its typical price
    assert vwap.value == 30.0


def test_without_session_keys_the_vwap_runs_on() -> None:
    vwap = Tracked(SessionVWAP(), "close")
    for i, close in enumerate([10.0, 20.0, 30.0]):
        vwap.feed(candle(i, close))
    assert vwap.value == 20.0
