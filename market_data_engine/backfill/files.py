"""Backfill files read in chunks of rows with pyarrow: bounded memory, columnar speed.

CSV (optionally compressed, e.g. ``.csv.gz``) streams block by block; Parquet by record
batch. Only the mapped columns are read; timestamps given as text stay text, so they are
parsed as the spec says rather than as pyarrow guesses.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from market_data_engine.backfill.spec import InputSpec
from market_data_engine.feeds.replay_files import PARQUET_SUFFIXES, ReplayError

BLOCK_BYTES = 4 << 20
_EPOCH_FORMATS = ("s", "ms", "us", "ns")


def is_parquet(path: Path) -> bool:
    return path.suffix.lower() in PARQUET_SUFFIXES


def _text(path: Path) -> IO[str]:
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def columns_of(path: Path, spec: InputSpec) -> list[str]:
    """The column names a file offers."""
    if not path.is_file():
        raise ReplayError(path, "no such file")
    if is_parquet(path):
        try:
            return list(pq.ParquetFile(path).schema_arrow.names)
        except (pa.ArrowException, OSError) as exc:
            raise ReplayError(path, f"not a readable Parquet file ({exc})") from None
    with _text(path) as stream:
        header = next(csv.reader(stream, delimiter=spec.delimiter), None)
    if not header:
        raise ReplayError(path, "empty file: the first line must name the columns")
    return header


def count_rows(path: Path) -> int | None:
    """Data rows in the file (for progress), or None when that costs a full decompression."""
    if is_parquet(path):
        return int(pq.ParquetFile(path).metadata.num_rows)
    if path.suffix.lower() != ".csv" and path.suffix.lower() != ".txt":
        return None
    lines, last = 0, b"\n"
    with path.open("rb") as stream:
        while block := stream.read(1 << 22):
            lines += block.count(b"\n")
            last = block[-1:]
    return max(0, lines + (last != b"\n") - 1)


def _batches(path: Path, spec: InputSpec, fields: dict[str, str]) -> Iterator[pa.RecordBatch]:
    wanted = list(dict.fromkeys(fields.values()))
    if is_parquet(path):
        yield from pq.ParquetFile(path).iter_batches(batch_size=65_536, columns=wanted)
        return
    types: dict[str, pa.DataType] = {}
    if spec.timestamp_format not in _EPOCH_FORMATS:
        types[fields["ts"]] = pa.string()
    if "symbol" in fields:
        types[fields["symbol"]] = pa.string()
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=BLOCK_BYTES),
        parse_options=pacsv.ParseOptions(delimiter=spec.delimiter),
        convert_options=pacsv.ConvertOptions(include_columns=wanted, column_types=types),
    )
    yield from reader


def read_chunks(
    path: Path, spec: InputSpec, fields: dict[str, str], chunk_rows: int, skip_rows: int = 0
) -> Iterator[pa.Table]:
    """Tables of ``chunk_rows`` rows (the last may be shorter), after ``skip_rows`` rows."""
    pending: list[pa.RecordBatch] = []
    held = 0
    try:
        for batch in _batches(path, spec, fields):
            dropped = min(skip_rows, batch.num_rows)
            skip_rows -= dropped
            pending.append(batch.slice(dropped))
            held += batch.num_rows - dropped
            while held >= chunk_rows:
                table = pa.Table.from_batches(pending)
                yield table.slice(0, chunk_rows)
                rest = table.slice(chunk_rows)
                pending, held = rest.to_batches(), rest.num_rows
    except pa.ArrowInvalid as exc:
        raise ReplayError(path, f"cannot be read: {exc}") from None
    if held:
        yield pa.Table.from_batches(pending)
