"""Backfill input: files in chunks, times in any format and zone, bad rows named."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from market_data_engine.backfill.chunks import CandleMaker
from market_data_engine.backfill.decode import Rows, decode
from market_data_engine.backfill.files import columns_of, count_rows, read_chunks
from market_data_engine.backfill.spec import InputKind, InputSpec
from market_data_engine.cli import Ambiguity, Kind
from market_data_engine.feeds.replay_files import ReplayError
from market_data_engine.feeds.replay_values import Ambiguous
from market_data_engine.queries import Catalog
from shared.instruments import InstrumentRegistry

CATALOG = Catalog(InstrumentRegistry.with_standard_futures())
T = 1_709_899_200_000_000_000  # 2024-03-08T12:00:00Z


def csv(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def load(path: Path, spec: InputSpec, chunk_rows: int = 1000, skip: int = 0) -> list[Rows]:
    fields = spec.fields(path, columns_of(path, spec))
    out, done = [], skip
    for table in read_chunks(path, spec, fields, chunk_rows, skip):
        out.append(decode(table, path, done + 1, spec, fields))
        done += table.num_rows
    return out


def times(path: Path, spec: InputSpec) -> list[int]:
    return [t for rows in load(path, spec) for t in rows.ts.tolist()]


def test_iso_times_with_zones_and_nanoseconds(tmp_path: Path) -> None:
    path = csv(
        tmp_path,
        "ts,price,size\n2024-03-08T12:00:00Z,1,1\n2024-03-08T13:00:00.000000001+01:00,1,1\n",
    )
    assert times(path, InputSpec(symbol="ES")) == [T, T + 1]


def test_local_times_take_the_zone_and_resolve_the_repeated_hour(tmp_path: Path) -> None:
    path = csv(tmp_path, "ts,price,size\n2024-11-03 01:30:00,1,1\n")
    earliest = times(path, InputSpec(symbol="ES", timezone="America/Chicago"))
    latest = times(
        path, InputSpec(symbol="ES", timezone="America/Chicago", ambiguous=Ambiguous.LATEST)
    )
    assert latest[0] - earliest[0] == 3_600_000_000_000
    assert earliest == [1_730_615_400_000_000_000]  # 06:30 UTC, still daylight time


def test_a_local_time_daylight_saving_skips_is_named_with_its_row(tmp_path: Path) -> None:
    path = csv(tmp_path, "when,price,size\n2024-03-10 01:59:00,1,1\n2024-03-10 02:30:00,1,1\n")
    spec = InputSpec(symbol="ES", timezone="America/Chicago", columns="ts=when")
    with pytest.raises(ReplayError, match=r"in\.csv, row 2, column 'when': .*does not exist"):
        load(path, spec)


@pytest.mark.parametrize(
    ("fmt", "value"),
    [
        ("ms", "1709899200000"),
        ("s", "1709899200.0"),
        ("ns", str(T)),
        ("%d/%m/%Y %H:%M", "08/03/2024 12:00"),
    ],
)
def test_epoch_and_pattern_times(tmp_path: Path, fmt: str, value: str) -> None:
    path = csv(tmp_path, f"ts,price,size\n{value},1,1\n")
    assert times(path, InputSpec(symbol="ES", timestamp_format=fmt)) == [T]


def test_a_pattern_pyarrow_cannot_read_goes_value_by_value(tmp_path: Path) -> None:
    path = csv(tmp_path, "ts,price,size\n08/03/2024 12:00:00.25,1,1\n")
    spec = InputSpec(symbol="ES", timestamp_format="%d/%m/%Y %H:%M:%S.%f")
    assert times(path, spec) == [T + 250_000_000]


def test_parquet_timestamps_naive_as_local_and_zoned_as_given(tmp_path: Path) -> None:
    naive = pa.array([T], pa.timestamp("ns"))  # 12:00 wall time
    zoned = pa.array([T], pa.timestamp("ns", "UTC"))
    for name, column, expected in [
        ("naive", naive, T + 6 * 3_600_000_000_000),
        ("zoned", zoned, T),
    ]:
        path = tmp_path / f"{name}.parquet"
        pq.write_table(pa.table({"ts": column, "price": [1.0], "size": [1]}), path)
        assert times(path, InputSpec(symbol="ES", timezone="America/Chicago")) == [expected]


def test_bars_stamped_at_their_close_open_a_minute_earlier(tmp_path: Path) -> None:
    path = csv(tmp_path, "ts,open,high,low,close,volume\n2024-03-08T12:01:00Z,1,1,1,1,1\n")
    spec = InputSpec(InputKind.BARS_1M, symbol="ES", bar_label="close")
    assert times(path, spec) == [T]


def test_bars_map_their_trade_count_and_vwap(tmp_path: Path) -> None:
    path = csv(tmp_path, "t,o,h,l,c,v,n,w\n2024-03-08T12:00:00Z,1,2,1,2,4,3,1.5\n")
    columns = "ts=t,open=o,high=h,low=l,close=c,volume=v,trades=n,vwap=w"
    (rows,) = load(path, InputSpec(InputKind.BARS_1M, columns=columns, symbol="ES"))
    assert rows.trades is not None and rows.trades.tolist() == [3]
    assert rows.numbers["vwap"].tolist() == [1.5]


def test_a_value_that_is_not_a_number_is_named_with_its_row(tmp_path: Path) -> None:
    path = csv(tmp_path, "ts,price,size\n2024-03-08T12:00:00Z,1,1\n2024-03-08T12:00:01Z,abc,1\n")
    with pytest.raises(ReplayError, match=r"row 2, column 'price': 'abc' is not a number"):
        load(path, InputSpec(symbol="ES"))


def test_a_missing_column_lists_the_columns_there_are(tmp_path: Path) -> None:
    path = csv(tmp_path, "time,price,size\n")
    with pytest.raises(
        ReplayError, match=r"column 'ts': no such column for ts \(columns: time, price, size\)"
    ):
        load(path, InputSpec(symbol="ES"))
    with pytest.raises(ReplayError, match="no symbol column"):
        load(path, InputSpec(columns="ts=time"))


def test_chunks_have_the_rows_asked_for_and_skip_what_was_done(tmp_path: Path) -> None:
    body = "".join(f"{T + i},{i},1\n" for i in range(10))
    path = csv(tmp_path, "ts,price,size\n" + body)
    spec = InputSpec(symbol="ES", timestamp_format="ns")
    assert count_rows(path) == 10
    assert [len(r.ts) for r in load(path, spec, chunk_rows=4)] == [4, 4, 2]
    resumed = load(path, spec, chunk_rows=4, skip=6)
    assert [r.first_row for r in resumed] == [7]
    assert resumed[0].numbers["price"].tolist() == [6.0, 7.0, 8.0, 9.0]


def make(
    path: Path, spec: InputSpec, maker: CandleMaker | None = None
) -> list[tuple[str, str, int]]:
    maker = maker or CandleMaker(spec, CATALOG, ("1m", "1h"))
    return [
        (s, tf, len(c.open_time))
        for rows in load(path, spec)
        for s, tf, c in maker.make(rows, path)
    ]


def test_rows_of_several_symbols_make_candles_per_symbol(tmp_path: Path) -> None:
    path = csv(tmp_path, "ts,symbol,price,size\n" + "".join(
        f"{T + i * 60_000_000_000},{'ESZ6' if i % 2 else 'NQZ6'},{i}.25,1\n" for i in range(6)
    ))  # fmt: skip
    assert sorted(make(path, InputSpec(timestamp_format="ns"))) == [
        ("ESZ6", "1h", 1), ("ESZ6", "1m", 3), ("NQZ6", "1h", 1), ("NQZ6", "1m", 3),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("2,5000.10,1\n", r"row 1: price 5000\.1 is not a multiple of 0\.25"),
        ("2,5000,1\n1,5000,1\n", r"row 2: ESZ6 goes back in time"),
        ("2,5000,0\n", r"row 1: size must be positive"),
    ],
)
def test_bad_trades_are_named_with_their_row(tmp_path: Path, body: str, message: str) -> None:
    path = csv(tmp_path, "ts,price,size\n" + body)
    with pytest.raises(ReplayError, match=message):
        make(path, InputSpec(symbol="ESZ6", timestamp_format="ns"))


def test_input_going_back_in_time_across_chunks_is_refused(tmp_path: Path) -> None:
    spec = InputSpec(symbol="ESZ6", timestamp_format="ns")
    maker = CandleMaker(spec, CATALOG, ("1m",))
    make(csv(tmp_path, f"ts,price,size\n{T},1,1\n", "a.csv"), spec, maker)
    with pytest.raises(ReplayError, match=r"b\.csv, row 1: ESZ6 goes back in time"):
        make(csv(tmp_path, f"ts,price,size\n{T - 1},1,1\n", "b.csv"), spec, maker)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"{T + 1},1,1,1,1,1", "a 1-minute bar must open on a whole minute"),
        (f"{T},1,0.75,1,1,1", "high below open or close"),
        (f"{T},1,1,1.25,1,1", "low above them"),
    ],
)
def test_bad_bars_are_named_with_their_row(tmp_path: Path, row: str, message: str) -> None:
    path = csv(tmp_path, f"ts,open,high,low,close,volume\n{row}\n")
    spec = InputSpec(InputKind.BARS_1M, symbol="ESZ6", timestamp_format="ns")
    with pytest.raises(ReplayError, match=f"row 1: .*{message}"):
        make(path, spec)


def test_an_unknown_symbol_is_named(tmp_path: Path) -> None:
    path = csv(tmp_path, f"ts,price,size\n{T},1,1\n")
    with pytest.raises(ReplayError, match="unknown instrument 'ZZZ'"):
        make(path, InputSpec(symbol="ZZZ", timestamp_format="ns"))


def test_the_command_line_choices_mirror_the_spec() -> None:
    assert [k.value for k in Kind] == [k.value for k in InputKind]
    assert [a.value for a in Ambiguity] == [a.value for a in Ambiguous]
