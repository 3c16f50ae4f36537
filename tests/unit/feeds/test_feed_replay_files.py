"""Replay files: CSV and Parquet, column mapping, sorting and merging, bad rows, bars."""

import asyncio
import gzip
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from market_data_engine.feeds import (
    ColumnMap,
    FeedTrade,
    RecordKind,
    ReplayError,
    ReplayFeed,
    ReplayOptions,
    load_trades,
)
from shared.instruments import InstrumentRegistry
from shared.messages.schemas.marketdata import AggressorSide
from tests.unit.feeds.times import MINUTE, SECOND, ns

T = ns("2026-03-02T14:30:00Z")
BUY, SELL, NONE = AggressorSide.BUY, AggressorSide.SELL, AggressorSide.NONE
VENDOR = ColumnMap.parse("ts=time,price=px,size=qty,side=aggr,symbol=sym")


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def options(columns: ColumnMap = VENDOR, **changes: Any) -> ReplayOptions:
    return ReplayOptions(columns=columns, **changes)


def test_a_csv_with_its_own_column_names_reads_into_trades(tmp_path):
    path = write(
        tmp_path / "day.csv",
        "sym,time,px,qty,aggr,venue",
        "ESZ6,2026-03-02T14:30:00Z,5120.25,3,B,x",
        "NQZ6,2026-03-02T14:30:01.5Z,18000.50,1,S,y",
    )
    trades, stats = load_trades([path], options())
    assert trades == [
        FeedTrade("ESZ6", T, Decimal("5120.25"), Decimal(3), BUY),
        FeedTrade("NQZ6", T + 1_500_000_000, Decimal("18000.50"), Decimal(1), SELL),
    ]
    assert (stats.files, stats.rows, stats.bad_rows, stats.trades) == (1, 2, 0, 2)


def test_default_names_epoch_millis_a_fixed_symbol_and_trade_ids(tmp_path):
    path = write(tmp_path / "t.csv", "ts,price,size,id", f"{T // 10**6},71.05,2,A1")
    opts = ReplayOptions(timestamp_format="ms", symbol="CLF7")
    assert load_trades([path], opts)[0] == [
        FeedTrade("CLF7", T, Decimal("71.05"), Decimal(2), NONE, "A1")
    ]


def test_an_unsorted_file_is_sorted_keeping_the_order_of_equal_times(tmp_path):
    path = write(
        tmp_path / "u.csv",
        "ts,price,size",
        f"{T + 2},3,1",
        f"{T},1,1",
        f"{T + 2},4,1",
        f"{T + 1},2,1",
    )
    trades, stats = load_trades([path], ReplayOptions(timestamp_format="ns", symbol="ESZ6"))
    assert [t.price for t in trades] == [1, 2, 3, 4]
    assert stats.unsorted_files == 1


def test_several_files_merge_into_one_event_time_order(tmp_path):
    es = write(tmp_path / "es.csv", "ts,price,size,symbol", f"{T},1,1,ESZ6", f"{T + 20},3,1,ESZ6")
    nq = write(
        tmp_path / "nq.csv", "ts,price,size,symbol", f"{T + 10},2,1,NQZ6", f"{T + 20},4,1,NQZ6"
    )
    trades, stats = load_trades([es, nq], ReplayOptions(timestamp_format="ns"))
    assert [(t.symbol, int(t.price)) for t in trades] == [
        ("ESZ6", 1),
        ("NQZ6", 2),
        ("ESZ6", 3),
        ("NQZ6", 4),
    ]
    assert stats.unsorted_files == 0


def test_local_times_in_chicago_across_the_dst_change(tmp_path):
    path = write(
        tmp_path / "chi.csv",
        "ts,price,size",
        "2026-03-06 08:30:00,1,1",  # Friday, CST
        "2026-03-09 08:30:00,2,1",  # Monday, CDT
    )
    trades, _ = load_trades([path], ReplayOptions(timezone="America/Chicago", symbol="ESZ6"))
    assert [t.ts for t in trades] == [ns("2026-03-06T14:30:00Z"), ns("2026-03-09T13:30:00Z")]


def test_a_bad_value_names_the_file_line_and_column(tmp_path):
    path = write(
        tmp_path / "bad.csv",
        "sym,time,px,qty,aggr",
        "ESZ6,2026-03-02T14:30:00Z,5120.25,1,B",
        "",
        "ESZ6,2026-03-02T14:30:01Z,abc,1,B",
    )
    with pytest.raises(ReplayError) as error:
        load_trades([path], options())
    assert str(error.value) == f"{path}, line 4, column 'px': 'abc' is not a number"
    assert (error.value.row, error.value.column) == ("line 4", "px")


def test_a_row_with_the_wrong_number_of_columns_names_its_line(tmp_path):
    path = write(tmp_path / "short.csv", "ts,price,size", f"{T},1,1", f"{T},2")
    with pytest.raises(ReplayError, match="line 3: expected 3 columns, found 2"):
        load_trades([path], ReplayOptions(timestamp_format="ns", symbol="ESZ6"))


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("ESZ6,2026-03-02T14:30:00Z,1,0,B", "qty", "not positive"),
        ("ESZ6,yesterday,1,1,B", "time", "not an ISO 8601 timestamp"),
        ("ES Z6,2026-03-02T14:30:00Z,1,1,B", "sym", "not a symbol"),
        ("ESZ6,2026-03-02T14:30:00Z,1,1,up", "aggr", "not an aggressor side"),
        ("ESZ6,2026-03-02T14:30:00Z,NaN,1,B", "px", "not a finite number"),
    ],
)
def test_each_kind_of_bad_value_names_its_column(tmp_path, row, column, reason):
    path = write(tmp_path / "bad.csv", "sym,time,px,qty,aggr", row)
    with pytest.raises(ReplayError, match=reason) as error:
        load_trades([path], options())
    assert (error.value.row, error.value.column) == ("line 2", column)


def test_a_missing_column_is_named_with_the_columns_present(tmp_path):
    path = write(tmp_path / "m.csv", "time,price,size", f"{T},1,1")
    with pytest.raises(ReplayError) as error:
        load_trades([path], options(ColumnMap.parse("ts=timestamp"), symbol="ESZ6"))
    assert error.value.column == "timestamp"
    assert "no such column for ts (columns: time, price, size)" in str(error.value)


def test_without_a_symbol_column_a_fixed_symbol_is_needed(tmp_path):
    path = write(tmp_path / "n.csv", "ts,price,size", f"{T},1,1")
    with pytest.raises(ReplayError, match="no symbol column"):
        load_trades([path], ReplayOptions(timestamp_format="ns"))


def test_bad_rows_can_be_skipped_and_are_counted(tmp_path):
    path = write(tmp_path / "s.csv", "ts,price,size", f"{T},1,1", f"{T},x,1", "oops", f"{T},2,1")
    trades, stats = load_trades(
        [path], ReplayOptions(timestamp_format="ns", symbol="ESZ6", skip_bad_rows=True)
    )
    assert [t.price for t in trades] == [1, 2]
    assert (stats.rows, stats.bad_rows) == (4, 2)
    assert stats.first_bad is not None and "line 3, column 'price'" in stats.first_bad


def test_instrument_checks_refuse_off_tick_prices_and_unknown_symbols(tmp_path):
    registry = InstrumentRegistry.with_standard_futures()
    path = write(tmp_path / "t.csv", "ts,price,size,symbol", f"{T},5120.30,1,ESZ6")
    with pytest.raises(ReplayError, match=r"not on ESZ6.s 0\.25 tick") as error:
        load_trades([path], ReplayOptions(timestamp_format="ns", instruments=registry))
    assert error.value.column == "price"
    path = write(tmp_path / "u.csv", "ts,price,size,symbol", f"{T},1,1,ZZZ")
    with pytest.raises(ReplayError, match="unknown instrument 'ZZZ'"):
        load_trades([path], ReplayOptions(timestamp_format="ns", instruments=registry))


def test_gzip_csv_and_other_delimiters_are_read(tmp_path):
    path = tmp_path / "t.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write(f"ts;price;size\n{T};1.5;2\n")
    trades, _ = load_trades(
        [path], ReplayOptions(timestamp_format="ns", symbol="ESZ6", delimiter=";")
    )
    assert trades == [FeedTrade("ESZ6", T, Decimal("1.5"), Decimal(2))]


def test_parquet_with_zoned_timestamps_floats_and_decimals(tmp_path):
    table = pa.table(
        {
            "when": pa.array([T + 5, T], pa.timestamp("ns", tz="UTC")),
            "px": pa.array([Decimal("5120.25"), Decimal("5120.50")], pa.decimal128(10, 2)),
            "qty": pa.array([2.0, 1.0]),
            "sym": ["ESZ6", "ESZ6"],
        }
    )
    pq.write_table(table, tmp_path / "t.parquet")
    columns = ColumnMap.parse("ts=when,price=px,size=qty,symbol=sym")
    # The configured format is for text columns; Arrow timestamps carry their own meaning.
    trades, stats = load_trades(
        [tmp_path / "t.parquet"], ReplayOptions(columns=columns, timestamp_format="s")
    )
    assert trades == [
        FeedTrade("ESZ6", T, Decimal("5120.50"), Decimal(1)),
        FeedTrade("ESZ6", T + 5, Decimal("5120.25"), Decimal(2)),
    ]
    assert stats.unsorted_files == 1


def test_parquet_naive_timestamps_take_the_zone_and_epoch_ints_their_unit(tmp_path):
    local = datetime(2026, 3, 2, 8, 30)  # Chicago wall time
    pq.write_table(
        pa.table({"ts": pa.array([local], pa.timestamp("us")), "price": [1.25], "size": [1]}),
        tmp_path / "naive.parquet",
    )
    pq.write_table(
        pa.table({"ts": [T // 1000], "price": ["1.25"], "size": [1]}), tmp_path / "us.parquet"
    )
    chicago = ReplayOptions(timezone="America/Chicago", symbol="ESZ6")
    assert load_trades([tmp_path / "naive.parquet"], chicago)[0][0].ts == T
    epoch_us = ReplayOptions(timestamp_format="us", symbol="ESZ6")
    assert load_trades([tmp_path / "us.parquet"], epoch_us)[0][0].ts == T


def test_a_bad_parquet_value_names_the_row_and_column(tmp_path):
    pq.write_table(
        pa.table({"ts": [T, T], "price": [1.0, -1.0], "size": [1, 0]}), tmp_path / "b.pq"
    )
    with pytest.raises(ReplayError, match=r"b.pq, row 2, column 'size': 0 is not positive"):
        load_trades([tmp_path / "b.pq"], ReplayOptions(timestamp_format="ns", symbol="ESZ6"))


def test_a_file_that_is_not_there_or_not_parquet_is_named(tmp_path):
    with pytest.raises(ReplayError, match="no such file"):
        load_trades([tmp_path / "gone.csv"], ReplayOptions())
    (tmp_path / "fake.parquet").write_text("not parquet")
    with pytest.raises(ReplayError, match="not a readable Parquet file"):
        load_trades([tmp_path / "fake.parquet"], ReplayOptions())
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(ReplayError, match="empty file"):
        load_trades([tmp_path / "empty.csv"], ReplayOptions())


def test_bars_replay_as_trades_that_rebuild_them(tmp_path):
    path = write(
        tmp_path / "bars.csv",
        "time,o,h,l,c,v",
        "2026-03-02T14:31:00Z,5121.00,5122.00,5120.00,5120.50,10",  # down bar
        "2026-03-02T14:30:00Z,5120.00,5121.50,5119.75,5121.00,7",  # up bar, listed later
    )
    columns = ColumnMap.parse("ts=time,open=o,high=h,low=l,close=c,volume=v", RecordKind.BARS)
    trades, stats = load_trades([path], ReplayOptions(columns=columns, symbol="ESZ6"))
    first = [(t.ts - T, t.price, t.size) for t in trades[:4]]
    assert first == [
        (0, Decimal("5120.00"), Decimal(2)),
        (15 * SECOND, Decimal("5119.75"), Decimal(2)),
        (30 * SECOND, Decimal("5121.50"), Decimal(2)),
        (45 * SECOND, Decimal("5121.00"), Decimal(1)),
    ]
    second = [(t.ts - T - MINUTE, t.price) for t in trades[4:]]
    assert [p for _, p in second] == [
        Decimal(x) for x in ("5121.00", "5122.00", "5120.00", "5120.50")
    ]
    assert sum(t.size for t in trades[4:]) == 10
    assert (stats.rows, stats.trades) == (2, 8)


def test_bars_labelled_by_close_time_start_a_width_earlier(tmp_path):
    path = write(tmp_path / "b.csv", "ts,open,high,low,close,volume", f"{T},5,5,5,5,3")
    opts = ReplayOptions(
        columns=ColumnMap(RecordKind.BARS), timestamp_format="ns", symbol="ESZ6", bar_label="close"
    )
    assert load_trades([path], opts)[0] == [FeedTrade("ESZ6", T - MINUTE, Decimal(5), Decimal(3))]


def test_an_inconsistent_bar_names_the_offending_column(tmp_path):
    path = write(tmp_path / "b.csv", "ts,open,high,low,close,volume", f"{T},5,4,3,4.5,3")
    opts = ReplayOptions(columns=ColumnMap(RecordKind.BARS), timestamp_format="ns", symbol="ESZ6")
    with pytest.raises(ReplayError, match="column 'high': high 4 is below the open"):
        load_trades([path], opts)


async def test_a_replay_feed_can_resume_after_the_trades_already_published(tmp_path):
    rows = [f"{T + k},{k},1" for k in range(10)]
    path = write(tmp_path / "r.csv", "ts,price,size", *rows)
    feed = ReplayFeed([path], ReplayOptions(timestamp_format="ns", symbol="ESZ6"), skip=7)
    assert (feed.total, feed.skipped, feed.position) == (10, 7, 7)
    received: list[Decimal] = []

    async def sink(batch):
        received.extend(t.price for t in batch)

    await feed.run(sink, asyncio.Event())
    assert received == [7, 8, 9]
    assert feed.position == 10
