"""Backfill line protocol: the points the live writer's ``influx_line`` gives per candle."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from market_data_engine.adapters.candle_format import influx_line
from market_data_engine.backfill.lines import candle_lines
from market_data_engine.domain.batch import CandleColumns, aggregate
from market_data_engine.domain.candles import Scale
from market_data_engine.domain.timeframes import DEFAULT_TIMEFRAMES
from shared.instruments import CME_GLOBEX
from tests.unit.market_data_engine.streams import PROPERTIES, in_order_trades


def point(text: str) -> tuple[str, dict[str, float | int], int]:
    """A line as InfluxDB reads it: series, field values (integers for ``i``), timestamp."""
    series, fields, ts = text.split(" ")
    values: dict[str, float | int] = {}
    for field in fields.split(","):
        key, value = field.split("=")
        values[key] = int(value[:-1]) if value.endswith("i") else float(value)
    return series, values, int(ts)


def points(lines: list[str]) -> list[tuple[str, dict[str, float | int], int]]:
    return [point(text) for text in lines]


SCALES = [
    Scale(Decimal("0.25")),
    Scale(Decimal("0.01")),
    Scale(Decimal("0.10")),
    Scale(Decimal("1.00")),
    Scale(Decimal("0.01"), Decimal("0.0001")),
    Scale(Decimal("0.000001"), Decimal("0.001")),
]


@PROPERTIES
@given(in_order_trades(), st.sampled_from(SCALES))
def test_lines_are_those_of_the_live_writer(
    trades: tuple[list[int], list[int], list[int]], scale: Scale
) -> None:
    ts, price, size = (np.array(c, dtype=np.int64) for c in trades)
    for timeframe, columns in aggregate(ts, price, size, DEFAULT_TIMEFRAMES, CME_GLOBEX).items():
        expected = [influx_line(scale.bar(c)) for c in columns.candles("ESZ6", timeframe)]
        assert points(candle_lines("ESZ6", timeframe, columns, scale)) == points(expected)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(-(2**40), 2**40),
    st.integers(1, 2**50),
    st.sampled_from(SCALES),
)
def test_large_values_stay_exact(ticks: int, volume: int, scale: Scale) -> None:
    low, high = min(ticks, 0), max(ticks, 0)
    column = (0, 60, ticks, high, low, ticks, volume, 7, ticks * volume)
    columns = CandleColumns(*(np.array([v]) for v in column))
    expected = [influx_line(scale.bar(c)) for c in columns.candles("X", "1m")]
    assert points(candle_lines("X", "1m", columns, scale)) == points(expected)


def test_bars_without_vwap_leave_the_field_out() -> None:
    rows = [(0, 60, 4, 5, 3, 4, 10, 0, float("nan")), (60, 120, 4, 4, 4, 4, 2, 1, 8.0)]
    columns = CandleColumns(*(np.array(column) for column in zip(*rows, strict=True)))
    assert candle_lines("ESZ6", "1m", columns, Scale(Decimal("0.25"))) == [
        "candles,symbol=ESZ6,timeframe=1m open=1,high=1.25,low=0.75,close=1,"
        "volume=10,trades=0i,close_time=60i 0",
        "candles,symbol=ESZ6,timeframe=1m open=1,high=1,low=1,close=1,"
        "volume=2,trades=1i,close_time=120i,vwap=1 60",
    ]


def test_tags_are_escaped_and_tiny_or_huge_floats_stay_exact() -> None:
    columns = CandleColumns(*(np.array([v]) for v in (0, 60, 1, 2**60, 1, 1, 1, 1, 1)))
    (text,) = candle_lines("A B,C", "1m", columns, Scale(Decimal("0.000001")))
    assert text.startswith("candles,symbol=A\\ B\\,C,timeframe=1m ")
    _, values, _ = point(text.replace("\\ ", "_"))
    assert values["open"] == 1e-06
    assert values["high"] == float(Decimal(2**60) * Decimal("0.000001"))
