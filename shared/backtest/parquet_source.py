"""Candles from Parquet files (pyarrow), with the columns a CSV file has.

The timestamp column may be a timestamp type (with or without a zone: UTC), epoch
numbers (seconds to nanoseconds, told apart by size) or ISO 8601 text. Rows are counted
from 1 in errors.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from shared.backtest.bars import BarSeries, DataError, Floats, Times
from shared.backtest.csv_source import parse_timestamp
from shared.backtest.tables import OPTIONAL, PRICES, assemble, columns_of, epochs_ns


def load_parquet(
    path: str | Path, *, symbol: str | None = None, timeframe: str | None = None
) -> list[BarSeries]:
    """The candles of a Parquet file, one series per symbol (see ``load_csv``)."""
    where = str(path)
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise DataError(f"{where}: cannot read as Parquet: {exc}") from None
    at = columns_of(table.column_names, where)
    names = table.column_names
    times = _times(table.column(at["timestamp"]), where, names[at["timestamp"]])
    prices = {
        name: _floats(table.column(at[name]), where, names[at[name]], name == "vwap")
        for name in (*PRICES, *OPTIONAL)
        if name in at
    }
    if "volume" not in prices:
        prices["volume"] = np.zeros(len(times))
    if "vwap" in prices:
        empty = np.isnan(prices["vwap"])
        prices["vwap"][empty] = prices["close"][empty]
    symbols = None
    if "symbol" in at:
        column = table.column(at["symbol"])
        _no_nulls(column, where, names[at["symbol"]])
        symbols = [str(s).strip() for s in column.to_pylist()]
    return assemble(where, symbols, times, prices, symbol=symbol, timeframe=timeframe)


def _no_nulls(column: pa.ChunkedArray, where: str, name: str) -> None:
    if column.null_count:
        row = int(np.argmax(column.is_null().to_numpy(zero_copy_only=False)))
        raise DataError(f"{where}: row {row + 1}, column {name}: empty")


def _floats(column: pa.ChunkedArray, where: str, name: str, optional: bool) -> Floats:
    if not optional:
        _no_nulls(column, where, name)
    try:
        values = pc.cast(column, pa.float64())
    except pa.ArrowInvalid:
        raise DataError(f"{where}: column {name}: not numbers ({column.type})") from None
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=np.float64).copy()


def _times(column: pa.ChunkedArray, where: str, name: str) -> Times:
    _no_nulls(column, where, name)
    kind = column.type
    if pa.types.is_timestamp(kind):
        nanos = pc.cast(pc.cast(column, pa.timestamp("ns", kind.tz)), pa.int64())
        return np.asarray(nanos.to_numpy(), dtype=np.int64)
    if pa.types.is_integer(kind):
        return epochs_ns(np.asarray(column.to_numpy(), dtype=np.int64))
    if pa.types.is_floating(kind):
        return epochs_ns(np.asarray(column.to_numpy(), dtype=np.float64))
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        out = np.empty(len(column), dtype=np.int64)
        for row, text in enumerate(column.to_pylist()):
            try:
                out[row] = parse_timestamp(text)
            except ValueError as exc:
                raise DataError(f"{where}: row {row + 1}, column {name}: {exc}") from None
        return out
    raise DataError(f"{where}: column {name}: a {kind} is not a time")
