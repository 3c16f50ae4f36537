"""Reading the mapped columns of CSV and Parquet files, row by row, with where each row is.

CSV (optionally gzip-compressed) goes through the ``csv`` module so every row keeps its
exact line number; Parquet through pyarrow in record batches, rows numbered from 1. Arrow
timestamp columns arrive as integer nanoseconds, and ``timestamp_format`` says how to read
them: UTC ``ns`` for zoned columns, local wall time (``WALL_NS``) for naive ones.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import IO, NamedTuple

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from market_data_engine.feeds.base import FeedError
from market_data_engine.feeds.replay_columns import ColumnMap
from market_data_engine.feeds.replay_values import WALL_NS

PARQUET_SUFFIXES = {".parquet", ".pq"}
BATCH_ROWS = 65_536


class ReplayError(FeedError):
    """A replay file problem, saying which file, row (or line) and column."""

    def __init__(self, path: Path, reason: str, *, row: str = "", column: str = "") -> None:
        where = ", ".join(filter(None, (str(path), row, f"column {column!r}" if column else "")))
        super().__init__(f"{where}: {reason}")
        self.path, self.row, self.column, self.reason = path, row, column, reason


class RawRow(NamedTuple):
    """One row's mapped values by field, or the ``problem`` that stops it being read."""

    where: str
    values: dict[str, object]
    problem: str | None = None


class OpenedFile(NamedTuple):
    """A file's mapped fields -> columns, its rows, and how its timestamps must be read."""

    fields: dict[str, str]
    rows: Iterator[RawRow]
    timestamp_format: str | None  # None: as configured


def open_file(path: Path, columns: ColumnMap, *, delimiter: str = ",") -> OpenedFile:
    """Open a replay file; ReplayError names a missing column and lists those present."""
    if not path.is_file():
        raise ReplayError(path, "no such file")
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return _open_parquet(path, columns)
    return _open_csv(path, columns, delimiter)


def _resolve(path: Path, columns: ColumnMap, available: list[str]) -> dict[str, str]:
    try:
        return columns.resolve(available)
    except KeyError as exc:
        field, column = exc.args
        present = ", ".join(available) or "none"
        reason = f"no such column for {field} (columns: {present})"
        raise ReplayError(path, reason, column=column) from None


def _text(path: Path) -> IO[str]:
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def _open_csv(path: Path, columns: ColumnMap, delimiter: str) -> OpenedFile:
    with _text(path) as stream:
        header = next(csv.reader(stream, delimiter=delimiter), None)
    if not header:
        raise ReplayError(path, "empty file: the first line must name the columns")
    header = [name.strip() for name in header]
    fields = _resolve(path, columns, header)
    index = {name: header.index(column) for name, column in fields.items()}
    return OpenedFile(fields, _csv_rows(path, delimiter, len(header), index), None)


def _csv_rows(path: Path, delimiter: str, width: int, index: dict[str, int]) -> Iterator[RawRow]:
    with _text(path) as stream:
        reader = csv.reader(stream, delimiter=delimiter)
        next(reader)
        for row in reader:
            if not row or row == [""]:
                continue  # blank lines carry nothing
            where = f"line {reader.line_num}"
            if len(row) != width:
                yield RawRow(where, {}, f"expected {width} columns, found {len(row)}")
                continue
            yield RawRow(where, {name: row[i] for name, i in index.items()})


def _open_parquet(path: Path, columns: ColumnMap) -> OpenedFile:
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise ReplayError(path, f"not a readable Parquet file ({exc})") from None
    fields = _resolve(path, columns, list(parquet.schema_arrow.names))
    ts_type = parquet.schema_arrow.field(fields["ts"]).type
    ts_format = None
    if pa.types.is_timestamp(ts_type):
        ts_format = "ns" if ts_type.tz else WALL_NS
    return OpenedFile(fields, _parquet_rows(parquet, fields), ts_format)


def _parquet_rows(parquet: pq.ParquetFile, fields: dict[str, str]) -> Iterator[RawRow]:
    number = 0
    wanted = list(dict.fromkeys(fields.values()))
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=wanted):
        by_column = {}
        for name in wanted:
            column = batch.column(name)
            if pa.types.is_timestamp(column.type):
                column = column.cast(pa.timestamp("ns", column.type.tz)).cast(pa.int64())
            by_column[name] = column.to_pylist()
        lists = [by_column[column] for column in fields.values()]
        for values in zip(*lists, strict=True):
            number += 1
            yield RawRow(f"row {number}", dict(zip(fields, values, strict=True)))
