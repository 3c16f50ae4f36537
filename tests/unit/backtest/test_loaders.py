"""Candles from CSV and Parquet files, and the errors bad files give."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from shared.backtest import DataError
from shared.backtest.csv_source import load_csv, parse_timestamp
from shared.backtest.exports import write_bars
from shared.backtest.parquet_source import load_parquet
from shared.backtest.synthetic import random_walk

T0 = 1_767_571_200_000_000_000  # 2026-01-05T00:00:00Z
MINUTE = 60_000_000_000
HEADER = "timestamp,open,high,low,close,volume\n"


def write(tmp_path: Path, text: str, name: str = "bars.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "ns"),
    [
        ("2026-01-05T00:00:00Z", T0),
        ("2026-01-05 01:00:00+01:00", T0),
        ("2026-01-05T00:00:00", T0),  # no zone: UTC
        ("2026-01-05T00:00:00.123456789Z", T0 + 123_456_789),
        ("1767571200", T0),
        ("1767571200.5", T0 + 500_000_000),
        ("1767571200000", T0),
        ("1767571200000000", T0),
        (str(T0), T0),
    ],
)
def test_timestamps_are_iso_or_epoch_in_any_unit(text: str, ns: int) -> None:
    assert parse_timestamp(text) == ns


def test_a_csv_file_loads_with_its_timeframe_inferred(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Date,Open,High,Low,Close,Volume,extra\n"
        "2026-01-05T00:00:00Z,10.25,11,10,10.5,100,x\n"
        "2026-01-05T00:05:00Z,10.5,10.75,10.25,10.5,50,y\n"
        "2026-01-05T00:15:00Z,10.5,10.5,10.5,10.5,0,z\n",
    )
    [bars] = load_csv(path, symbol="ESZ6")

    assert (bars.symbol, bars.timeframe, len(bars)) == ("ESZ6", "5m", 3)
    assert bars.open_time.tolist() == [T0, T0 + 5 * MINUTE, T0 + 15 * MINUTE]
    assert (bars.close_time - bars.open_time).tolist() == [5 * MINUTE] * 3
    assert bars.high.tolist() == [11.0, 10.75, 10.5]
    assert bars.vwap.tolist() == bars.close.tolist()


def test_a_symbol_column_splits_the_file_into_series(tmp_path: Path) -> None:
    es, nq = random_walk(5), random_walk(3, symbol="NQZ6", price=18000.0)
    path = tmp_path / "two.csv"
    write_bars(path, [es, nq])
    loaded = load_csv(path)

    assert [(s.symbol, len(s)) for s in loaded] == [("ESZ6", 5), ("NQZ6", 3)]
    assert loaded[0].close.tolist() == es.close.tolist()
    assert loaded[0].volume.tolist() == es.volume.tolist()
    assert [len(s) for s in load_csv(path, symbol="NQZ6")] == [3]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "2026-01-05T00:00:00Z,1,2,0.5,1.5,10\nnot a time,1,2,0.5,1.5,10\n",
            "line 3, column timestamp: 'not a time' is not an ISO 8601 time",
        ),
        ("2026-01-05T00:00:00Z,1,2,0.5,abc,10\n", "line 2, column close: 'abc' is not a number"),
        (
            "2026-01-05T00:00:00Z,1,2,0.5,1.5,10\n2026-01-05T00:01:00Z,1,2,0.5,,10\n",
            "line 3, column close: empty",
        ),
        ("2026-01-05T00:00:00Z,1,2,0.5,1.5\n", "line 2: 5 fields, the header has 6"),
        (
            "2026-01-05T00:00:00Z,1,2,0.5,1.5,10\n2026-01-05T00:01:00Z,1,0.9,0.5,1.5,10\n",
            "line 3: high is below open or close",
        ),
        (
            "2026-01-05T00:00:00Z,1,2,0.5,1.5,10\n2026-01-05T00:01:00Z,1,2,1.2,1.5,10\n",
            "line 3: low is above open or close",
        ),
        (
            "2026-01-05T00:01:00Z,1,2,0.5,1.5,10\n2026-01-05T00:00:00Z,1,2,0.5,1.5,10\n",
            "line 3: timestamp is not after the previous row's",
        ),
        ("2026-01-05T00:00:00Z,1,2,0.5,1.5,-3\n", "line 2: column volume: negative"),
        ("2026-01-05T00:00:00Z,1,2,0.5,nan,3\n", "line 2: column close: not a finite number"),
    ],
)
def test_a_bad_row_names_its_line_and_column(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, HEADER + body)
    with pytest.raises(DataError, match=f"^{path}: {message}"):
        load_csv(path, symbol="ESZ6", timeframe="1m")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("time,open,high,low\n", "no close column"),
        (HEADER, "no rows"),
        (HEADER + "2026-01-05T00:00:00Z,1,2,0.5,1.5,10\n", "cannot tell the timeframe"),
    ],
)
def test_a_file_without_what_it_needs_is_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        load_csv(write(tmp_path, text), symbol="ESZ6")


def test_a_file_without_a_symbol_needs_one_given(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "2026-01-05T00:00:00Z,1,2,0.5,1.5,10\n")
    with pytest.raises(DataError, match="no symbol column; give the symbol"):
        load_csv(path, timeframe="1m")


def test_a_missing_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot read"):
        load_csv(tmp_path / "nowhere.csv")


def parquet(tmp_path: Path, columns: dict[str, object]) -> Path:
    path = tmp_path / "bars.parquet"
    pq.write_table(pa.table(columns), path)
    return path


@pytest.mark.parametrize(
    "times",
    [
        pa.array(np.array([T0, T0 + MINUTE], dtype="datetime64[ns]")),
        pa.array([T0 // 1_000_000_000, T0 // 1_000_000_000 + 60]),
        pa.array(["2026-01-05T00:00:00Z", "2026-01-05T00:01:00Z"]),
    ],
)
def test_a_parquet_file_loads_with_any_kind_of_timestamp(tmp_path: Path, times: object) -> None:
    path = parquet(
        tmp_path,
        {
            "timestamp": times,
            "symbol": ["ESZ6"] * 2,
            "open": [1.0, 1.5],
            "high": [2.0, 2.0],
            "low": [0.5, 1.0],
            "close": [1.5, 1.75],
            "volume": [10, 20],
        },
    )
    [bars] = load_parquet(path)

    assert (bars.symbol, bars.timeframe) == ("ESZ6", "1m")
    assert bars.open_time.tolist() == [T0, T0 + MINUTE]
    assert bars.close.tolist() == [1.5, 1.75]


def test_a_parquet_null_names_its_row_and_column(tmp_path: Path) -> None:
    path = parquet(
        tmp_path,
        {
            "timestamp": [T0, T0 + MINUTE],
            "open": [1.0, 1.5],
            "high": [2.0, 2.0],
            "low": [0.5, None],
            "close": [1.5, 1.75],
        },
    )
    with pytest.raises(DataError, match="row 2, column low: empty"):
        load_parquet(path, symbol="ESZ6")


def test_a_file_that_is_not_parquet_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot read as Parquet"):
        load_parquet(write(tmp_path, HEADER))


def test_the_sample_file_loads() -> None:
    [bars] = load_csv(Path(__file__).parents[3] / "examples/data/ESZ6-1m.csv")

    assert (bars.symbol, bars.timeframe) == ("ESZ6", "1m")
    assert len(bars) > 4000
