"""Candles: the float view of a Bar message."""

from __future__ import annotations

from decimal import Decimal

from shared.messages.schemas.marketdata import Bar
from shared.strategy.candles import Candle, candle_of

D = Decimal


def bar(vwap: Decimal | None) -> Bar:
    return Bar(
        symbol="ESZ6",
        timeframe="5m",
        open_time=1_000_000_000_000,
        close_time=1_300_000_000_000,
        open=D("5000.25"),
        high=D("5003.5"),
        low=D("4999.75"),
        close=D("5002"),
        volume=D("1234"),
        trade_count=17,
        vwap=vwap,
    )


def test_candle_of_copies_every_field_as_floats() -> None:
    c = candle_of(bar(D("5001.125")))
    assert c == Candle(
        "ESZ6", "5m", 1_000_000_000_000, 1_300_000_000_000,
        5000.25, 5003.5, 4999.75, 5002.0, 1234.0, 5001.125,
    )  # fmt: skip
    assert all(type(x) is float for x in c[4:])


def test_candle_of_a_bar_without_vwap_uses_the_close() -> None:
    assert candle_of(bar(None)).vwap == 5002.0


def test_candle_fields_are_reachable_by_name_and_position() -> None:
    c = candle_of(bar(None))
    assert (c.open, c.high, c.low, c.close) == (c[4], c[5], c[6], c[7])
    assert Candle._fields[:4] == ("symbol", "timeframe", "open_time", "close_time")
