"""Rows read from a file into checked series: symbols apart, timeframe known or inferred.

Files (CSV, Parquet) name their columns; these names are accepted, in any case:
``timestamp`` (or ``time``, ``datetime``, ``date``): the candle's open time; ``open``,
``high``, ``low``, ``close``; ``volume`` (0 when absent); ``vwap`` (the close when
absent); ``symbol`` (optional: the caller names the symbol of a file without one).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from shared.backtest.bars import BarSeries, DataError, Floats, Times, series
from shared.backtest.timeframes import DAY_NS, width_ns

TIME_NAMES = ("timestamp", "time", "datetime", "date")
PRICES = ("open", "high", "low", "close")
OPTIONAL = ("volume", "vwap")
_SECOND = 1_000_000_000


def columns_of(header: Sequence[str], where: str) -> dict[str, int]:
    """Column role -> position in ``header``; DataError naming what is missing."""
    names = [h.strip().lower() for h in header]
    found: dict[str, int] = {}
    for role, aliases in (("timestamp", TIME_NAMES), *((p, (p,)) for p in PRICES)):
        at = next((names.index(a) for a in aliases if a in names), None)
        if at is None:
            wanted = " or ".join(aliases)
            raise DataError(f"{where}: no {wanted} column (columns: {', '.join(names)})")
        found[role] = at
    for role in (*OPTIONAL, "symbol"):
        if role in names:
            found[role] = names.index(role)
    return found


def unit_ns(magnitude: float) -> int:
    """Nanoseconds per unit of an epoch time this large: seconds, ms, us or ns."""
    for limit, unit in ((1e11, _SECOND), (1e14, 1_000_000), (1e17, 1_000)):
        if magnitude < limit:
            return unit
    return 1


def epoch_ns(value: float) -> int:
    """Epoch time in ns from seconds, milliseconds, microseconds or ns, told by magnitude."""
    unit = unit_ns(abs(value))
    return int(value) if unit == 1 else round(value * unit)


def epochs_ns(values: npt.NDArray[np.int64] | Floats) -> Times:
    """Epoch times in ns, in the unit the largest magnitude tells (as ``epoch_ns``)."""
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    unit = unit_ns(float(np.max(np.abs(values))))
    if np.issubdtype(values.dtype, np.integer):
        return np.asarray(values, dtype=np.int64) * unit
    return np.rint(values * unit).astype(np.int64)


def timeframe_name(width: int) -> str:
    """The timeframe name of a width in ns (``60e9`` -> ``1m``); ValueError if none fits."""
    for unit, size in (("d", DAY_NS), ("h", 3600 * _SECOND), ("m", 60 * _SECOND)):
        if width % size == 0 and (unit != "d" or width == DAY_NS):
            return f"{width // size}{unit}"
    if width % _SECOND == 0 and width > 0:
        return f"{width // _SECOND}s"
    raise ValueError(f"bars {width / _SECOND:g} s apart match no timeframe")


def infer_timeframe(times: Times, where: str) -> str:
    """The most common gap between consecutive open times, as a timeframe name."""
    gaps = np.diff(times)
    gaps = gaps[gaps > 0]
    if not len(gaps):
        raise DataError(f"{where}: cannot tell the timeframe from one bar; give it")
    values, counts = np.unique(gaps, return_counts=True)
    try:
        return timeframe_name(int(values[np.argmax(counts)]))
    except ValueError as exc:
        raise DataError(f"{where}: {exc}; give the timeframe") from None


def assemble(
    where: str,
    symbols: Sequence[str] | None,
    times: Times,
    prices: dict[str, Floats],
    *,
    symbol: str | None,
    timeframe: str | None,
    lines: npt.NDArray[np.int64] | None = None,
) -> list[BarSeries]:
    """One checked series per symbol (in order of first appearance)."""
    n = len(times)
    if n == 0:
        raise DataError(f"{where}: no rows")
    if symbols is None:
        if not symbol:
            raise DataError(f"{where}: no symbol column; give the symbol")
        groups = {symbol: np.arange(n)}
    else:
        names = np.asarray(symbols, dtype=object)
        wanted = [symbol] if symbol else list(dict.fromkeys(symbols))
        groups = {s: np.flatnonzero(names == s) for s in wanted}
        if symbol and not len(groups[symbol]):
            raise DataError(f"{where}: no rows of {symbol}")
    made = []
    for name, rows in groups.items():
        at = times[rows]
        label = f"{where} ({name})" if len(groups) > 1 else where
        frame = timeframe or infer_timeframe(at, label)
        made.append(
            series(
                name,
                frame,
                at,
                at + width_ns(frame),
                prices["open"][rows],
                prices["high"][rows],
                prices["low"][rows],
                prices["close"][rows],
                prices["volume"][rows],
                prices["vwap"][rows] if "vwap" in prices else None,
                where=where,
                lines=None if lines is None else lines[rows],
            )
        )
    return made
