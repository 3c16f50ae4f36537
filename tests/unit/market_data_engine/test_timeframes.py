"""Timeframe parsing and the base interval candles are built from."""

from __future__ import annotations

import pytest

from market_data_engine.domain.timeframes import (
    DEFAULT_TIMEFRAMES,
    Timeframe,
    base_width_ns,
    parse_timeframe,
    parse_timeframes,
)

SECOND = 1_000_000_000


@pytest.mark.parametrize(
    ("name", "width_s"),
    [("30s", 30), ("1m", 60), ("5m", 300), ("15m", 900), ("1h", 3600), ("4h", 14_400)],
)
def test_intraday_timeframes_parse_to_their_width(name, width_s):
    assert parse_timeframe(name) == Timeframe(name, width_s * SECOND)


def test_1d_is_the_session_day():
    assert parse_timeframe("1d").daily


@pytest.mark.parametrize("name", ["", "m", "0m", "1w", "2d", "1M", "5 m", "10000s", "1.5h"])
def test_malformed_or_unsupported_timeframes_are_refused(name):
    with pytest.raises(ValueError, match="timeframe"):
        parse_timeframe(name)


def test_timeframes_come_narrowest_first_without_duplicates():
    names = [tf.name for tf in parse_timeframes(["1d", "1h", "1m", "4h", "1m", "15m", "5m"])]
    assert names == ["1m", "5m", "15m", "1h", "4h", "1d"]
    assert [tf.name for tf in parse_timeframes()] == list(DEFAULT_TIMEFRAMES)


def test_an_empty_timeframe_set_is_refused():
    with pytest.raises(ValueError, match="at least one"):
        parse_timeframes([])


@pytest.mark.parametrize(
    ("names", "base_s"),
    [
        (DEFAULT_TIMEFRAMES, 60),
        (("2m", "3m"), 60),
        (("4h", "1d"), 900),
        (("1d",), 900),
        (("1h",), 3600),
        (("30s", "90s", "1d"), 30),
    ],
)
def test_the_base_interval_divides_every_timeframe(names, base_s):
    assert base_width_ns(parse_timeframes(names)) == base_s * SECOND
