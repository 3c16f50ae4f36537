"""A chunk of rows as numpy columns: UTC nanoseconds, numbers, symbols.

Columns convert with pyarrow compute in one go. When that fails (a bad value, a time
pattern pyarrow cannot read), the column is read again value by value with replay's parsers,
which either manage or name the first bad row and say why.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from market_data_engine.backfill.arrow import Array, numbers_of, strings_of
from market_data_engine.backfill.spec import InputKind, InputSpec
from market_data_engine.feeds.replay_files import ReplayError
from market_data_engine.feeds.replay_values import EPOCH_SCALES, TimestampParser, to_decimal

MINUTE_NS = 60_000_000_000
NUMBERS = {
    InputKind.TRADES: ("price", "size"),
    InputKind.BARS_1M: ("open", "high", "low", "close", "volume", "vwap"),
}


class Rows(NamedTuple):
    """One chunk: ``first_row`` is the file's number (from 1) of its first row."""

    first_row: int
    ts: Array
    numbers: dict[str, Array]
    trades: Array | None
    symbols: Array | None


class _Column:
    """One mapped column of a chunk, and how to blame one of its rows."""

    def __init__(self, path: Path, first_row: int, field: str, name: str, data: Any) -> None:
        self.path, self.first_row, self.field, self.name, self.data = (
            path, first_row, field, name, data,
        )  # fmt: skip

    def fail(self, index: int, reason: str) -> ReplayError:
        row = f"row {self.first_row + index}"
        return ReplayError(self.path, reason, row=row, column=self.name)

    def each(self, parse: Callable[[Any], Any]) -> list[Any]:
        """Every value through ``parse``; the first ValueError names its row."""
        out = []
        for index, value in enumerate(self.data.to_pylist()):
            try:
                out.append(parse(value))
            except (ValueError, TypeError) as exc:
                raise self.fail(index, str(exc)) from None
        return out

    def check_nulls(self) -> None:
        if self.data.null_count:
            index = int(np.flatnonzero(numbers_of(pc.is_null(self.data), np.uint8))[0])
            raise self.fail(index, f"no {self.field} value")


def _timestamps(column: _Column, spec: InputSpec) -> Array:
    column.check_nulls()
    data, fmt = column.data, spec.timestamp_format
    try:
        if pa.types.is_timestamp(data.type) or (fmt not in EPOCH_SCALES and "%" in fmt):
            stamps = data if pa.types.is_timestamp(data.type) else pc.strptime(data, fmt, "ns")
            stamps = stamps.cast(pa.timestamp("ns", stamps.type.tz))
        elif fmt in EPOCH_SCALES:
            kind = np.float64 if pa.types.is_floating(data.type) else np.int64
            values: Array = numbers_of(data, kind)
            scale = EPOCH_SCALES[fmt]
            if values.dtype.kind == "f":
                values = np.rint(values * scale)
                scale = 1
            epoch: Array = values.astype(np.int64) * scale
            return epoch
        else:
            try:
                stamps = data.cast(pa.timestamp("ns", "UTC"))
            except pa.ArrowInvalid:  # no zone in the text: local times
                stamps = data.cast(pa.timestamp("ns"))
        if stamps.type.tz is None:
            stamps = pc.assume_timezone(
                stamps, timezone=spec.timezone, ambiguous=spec.ambiguous.value, nonexistent="raise"
            )
        return numbers_of(stamps, np.int64)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError, TypeError):
        parser = TimestampParser(fmt, spec.timezone, spec.ambiguous)
        return np.array(column.each(parser), dtype=np.int64)


def _floats(column: _Column) -> Array:
    column.check_nulls()
    try:
        values = numbers_of(column.data, np.float64)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        values = np.array([float(v) for v in column.each(to_decimal)], dtype=np.float64)
    if not np.all(np.isfinite(values)):
        raise column.fail(int(np.flatnonzero(~np.isfinite(values))[0]), "not a finite number")
    return values


def _integers(column: _Column) -> Array:
    values = _floats(column)
    whole = values == np.rint(values)
    if not np.all(whole & (values >= 0)):
        bad = int(np.flatnonzero(~(whole & (values >= 0)))[0])
        raise column.fail(bad, f"{values[bad]!r} is not a whole number of trades")
    return values.astype(np.int64)


def decode(
    table: pa.Table, path: Path, first_row: int, spec: InputSpec, fields: dict[str, str]
) -> Rows:
    """The chunk's columns; ReplayError names the file, row and column of a bad value."""

    def column(field: str) -> _Column:
        name = fields[field]
        return _Column(path, first_row, field, name, table.column(name))

    ts = _timestamps(column("ts"), spec)
    if spec.kind is InputKind.BARS_1M and spec.bar_label == "close":
        ts = ts - MINUTE_NS
    numbers = {f: _floats(column(f)) for f in NUMBERS[spec.kind] if f in fields}
    trades = _integers(column("trades")) if "trades" in fields else None
    symbols = None
    if "symbol" in fields:
        symbols_column = column("symbol")
        symbols_column.check_nulls()
        symbols = strings_of(symbols_column.data)
    return Rows(first_row, ts, numbers, trades, symbols)
