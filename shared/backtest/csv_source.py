"""Candles from CSV files.

A header row names the columns (see ``shared.backtest.tables``: timestamp, open, high,
low, close, optional volume, vwap and symbol; any order, any case, other columns
ignored). Timestamps are the candles' open times: ISO 8601 (``2026-01-05T14:30:00Z``,
an offset, or no zone for UTC) or epoch seconds, milliseconds, microseconds or
nanoseconds (told apart by size). A bad row stops the load with its line and column.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from shared.backtest.bars import BarSeries, DataError
from shared.backtest.tables import OPTIONAL, PRICES, assemble, columns_of, epoch_ns
from shared.clock import datetime_to_ns

_NUMBER = re.compile(r"^-?\d+(\.\d*)?$")
_FRACTION = re.compile(r"^(.*?\d{2}:\d{2}:\d{2})\.(\d{1,9})(.*)$")


def parse_timestamp(text: str) -> int:
    """UTC ns of an ISO 8601 time (no zone: UTC) or an epoch number; ValueError if neither."""
    value = text.strip()
    if _NUMBER.match(value):
        return epoch_ns(float(value)) if "." in value else epoch_ns(int(value))
    nanos = 0
    match = _FRACTION.match(value)
    if match:  # datetime keeps microseconds only
        value = match.group(1) + match.group(3)
        nanos = int(match.group(2).ljust(9, "0"))
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 time or an epoch number") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return datetime_to_ns(parsed) + nanos


def load_csv(
    path: str | Path, *, symbol: str | None = None, timeframe: str | None = None
) -> list[BarSeries]:
    """The candles of a CSV file, one series per symbol.

    ``symbol`` names the symbol of a file without a symbol column, or picks one symbol
    out of a file with one. ``timeframe`` None infers it from the spacing of the bars.
    """
    where = str(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            return _parse(reader, lambda: reader.line_num, where, symbol, timeframe)
    except OSError as exc:
        raise DataError(f"{where}: cannot read: {exc.strerror or exc}") from None
    except csv.Error as exc:
        raise DataError(f"{where}: not valid CSV: {exc}") from None


def _parse(
    reader: Iterator[list[str]],
    line_num: Callable[[], int],
    where: str,
    symbol: str | None,
    timeframe: str | None,
) -> list[BarSeries]:
    header = next(reader, None)
    if header is None:
        raise DataError(f"{where}: the file is empty")
    at = columns_of(header, where)
    width = len(header)
    numeric = [(name, at[name]) for name in (*PRICES, *OPTIONAL) if name in at]
    time_at, symbol_at = at["timestamp"], at.get("symbol")
    times: list[int] = []
    values: dict[str, list[float]] = {name: [] for name, _ in numeric}
    symbols: list[str] = []
    lines: list[int] = []
    for row in reader:
        line = line_num()
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != width:
            raise DataError(f"{where}: line {line}: {len(row)} fields, the header has {width}")
        try:
            times.append(parse_timestamp(row[time_at]))
        except ValueError as exc:
            raise DataError(f"{where}: line {line}, column {header[time_at]}: {exc}") from None
        for name, column in numeric:
            values[name].append(_number(row[column], name, where, line, header[column]))
        if symbol_at is not None:
            symbols.append(row[symbol_at].strip())
        lines.append(line)
    prices = {name: np.array(v, dtype=np.float64) for name, v in values.items()}
    if "volume" not in prices:
        prices["volume"] = np.zeros(len(times))
    if "vwap" in prices:  # an empty vwap is the close
        empty = np.isnan(prices["vwap"])
        prices["vwap"][empty] = prices["close"][empty]
    return assemble(
        where,
        symbols if symbol_at is not None else None,
        np.array(times, dtype=np.int64),
        prices,
        symbol=symbol,
        timeframe=timeframe,
        lines=np.array(lines, dtype=np.int64),
    )


def _number(text: str, name: str, where: str, line: int, column: str) -> float:
    if not text.strip():
        if name == "vwap":
            return float("nan")
        raise DataError(f"{where}: line {line}, column {column}: empty")
    try:
        return float(text)
    except ValueError:
        raise DataError(
            f"{where}: line {line}, column {column}: {text!r} is not a number"
        ) from None
