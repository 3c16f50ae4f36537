"""Candles in line protocol, a whole column at a time, built by pyarrow.

The lines hold the same values ``candle_format.influx_line`` writes for the same candle:
prices and volume are integer ticks and steps times a decimal step ``m / 10**k``, and
dividing the exact float of ``ticks * m`` by the exact float ``10**k`` rounds once, to the
float nearest the decimal, which is what ``float(Decimal)`` gives. VWAP divides integer
turnover by volume the same way (a float turnover, from bars with a float VWAP, stays a
float). Floats are printed in their shortest round-trip form, which InfluxDB reads back as
the same float, though the text may differ from ``repr`` (``5000`` for ``5000.0``).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pyarrow.compute as pc  # type: ignore[import-untyped]

from market_data_engine.adapters.candle_format import MEASUREMENT
from market_data_engine.backfill.arrow import Array, flags_of, literal, text_of
from market_data_engine.domain.batch import CandleColumns
from market_data_engine.domain.candles import Scale
from shared.tsdb import escape_measurement, escape_tag

_EXACT = 2**53


def _fraction(step: Decimal) -> tuple[int, int]:
    """``step`` as (m, k) with step = m / 10**k."""
    sign, digits, exponent = step.as_tuple()
    assert isinstance(exponent, int) and not sign
    mantissa = int("".join(map(str, digits)))
    if exponent >= 0:
        return mantissa * 10**exponent, 0
    return mantissa, -exponent


def _big(values: Array) -> bool:
    return values.dtype == object or int(np.abs(values).max(initial=0)) >= _EXACT


def scaled(values: Array, step: Decimal) -> Array:
    """Integer counts of ``step`` as the floats nearest their decimal values."""
    m, k = _fraction(step)
    if values.dtype.kind == "f":
        floats: Array = values * (m / 10**k)
        return floats
    if _big(values) or int(np.abs(values).max(initial=0)) * m >= _EXACT:
        return np.array([float(Decimal(int(v)) * step) for v in values.tolist()], np.float64)
    exact: Array = (values * m).astype(np.float64) / float(10**k)
    return exact


def vwaps(turnover: Array, volume: Array, tick: Decimal) -> Array:
    """VWAP prices: turnover (ticks x steps) / volume (steps) x tick; NaN without turnover."""
    m, k = _fraction(tick)
    if turnover.dtype.kind == "f":
        ratio: Array = turnover / volume * (m / 10**k)
        return ratio
    small = not _big(turnover) and not _big(volume)
    top, bottom = int(np.abs(turnover).max(initial=0)) * m, int(volume.max(initial=0)) * 10**k
    if small and top < _EXACT and bottom < _EXACT:  # both exact as floats: one rounding
        exact: Array = (turnover * m).astype(np.float64) / (volume * 10**k).astype(np.float64)
        return exact
    pairs = zip(turnover.tolist(), volume.tolist(), strict=True)
    return np.array([int(t) * m / (int(v) * 10**k) for t, v in pairs], np.float64)


def candle_lines(symbol: str, timeframe: str, columns: CandleColumns, scale: Scale) -> list[str]:
    """One line per candle, holding what ``influx_line(scale.bar(candle))`` holds."""
    if not len(columns.open_time):
        return []
    head = (
        f"{escape_measurement(MEASUREMENT)},symbol={escape_tag(symbol)},"
        f"timeframe={escape_tag(timeframe)} open="
    )
    tick, step = scale.tick_size, scale.size_step
    o, h, lo, c = (text_of(scaled(p, tick)) for p in columns[2:6])
    vwap = vwaps(columns.turnover, columns.volume, tick)
    missing = np.isnan(vwap)
    vwap_field = pc.binary_join_element_wise(literal(",vwap="), text_of(vwap), literal(""))
    if missing.any():
        vwap_field = pc.if_else(flags_of(missing), literal(""), vwap_field)
    parts = [
        literal(head), o, literal(",high="), h, literal(",low="), lo, literal(",close="), c,
        literal(",volume="), text_of(scaled(columns.volume, step)),
        literal(",trades="), text_of(columns.trade_count.astype(np.int64)),
        literal("i,close_time="), text_of(columns.close_time.astype(np.int64)), literal("i"),
        vwap_field, literal(" "), text_of(columns.open_time.astype(np.int64)),
    ]  # fmt: skip
    lines: list[str] = pc.binary_join_element_wise(*parts, literal("")).to_pylist()
    return lines
