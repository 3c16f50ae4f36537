"""Reading timestamps in every format and zone (daylight saving included), numbers and sides."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from market_data_engine.feeds import (
    Ambiguous,
    ColumnMap,
    ColumnMapError,
    RecordKind,
    TimestampParser,
)
from market_data_engine.feeds.replay_values import (
    WALL_NS,
    to_decimal,
    to_positive,
    to_side,
    to_symbol,
    to_trade_id,
)
from shared.messages.schemas.marketdata import AggressorSide
from tests.unit.feeds.times import ns

T = ns("2026-03-02T14:30:00Z")
CHICAGO = "America/Chicago"


@pytest.mark.parametrize(
    ("fmt", "value"),
    [
        ("s", 1772461800),
        ("s", "1772461800"),
        ("s", 1772461800.0),
        ("ms", "1772461800000"),
        ("ms", 1772461800000),
        ("us", 1772461800000000),
        ("ns", "1772461800000000000"),
        ("ns", T),
        ("iso", "2026-03-02T14:30:00Z"),
        ("iso", "2026-03-02 14:30:00+00:00"),
        ("iso", "2026-03-02T08:30:00-06:00"),
        ("iso", "2026-03-02T14:30:00"),  # naive, read in UTC
        ("%d/%m/%Y %H:%M:%S", "02/03/2026 14:30:00"),
    ],
)
def test_every_format_reads_the_same_instant(fmt, value):
    assert TimestampParser(fmt)(value) == T


def test_epoch_fractions_and_iso_nanoseconds_are_kept_exactly():
    assert TimestampParser("s")("1772461800.123456789") == T + 123_456_789
    assert TimestampParser("ms")("1772461800000.5") == T + 500_000
    assert TimestampParser("iso")("2026-03-02T14:30:00.000000007Z") == T + 7
    assert TimestampParser("iso")("2026-03-02T08:30:00.25-06:00") == T + 250_000_000


def test_naive_times_take_the_zone_winter_and_summer():
    parse = TimestampParser("iso", CHICAGO)
    assert parse("2026-03-02 08:30:00") == T  # CST, UTC-6
    assert parse("2026-07-01 08:30:00") == ns("2026-07-01T13:30:00Z")  # CDT, UTC-5
    assert parse("2026-07-01T08:30:00Z") == ns("2026-07-01T08:30:00Z")  # zoned: zone ignored


def test_a_time_skipped_by_daylight_saving_is_an_error():
    with pytest.raises(ValueError, match="does not exist in America/Chicago"):
        TimestampParser("iso", CHICAGO)("2026-03-08 02:30:00")


def test_a_repeated_time_resolves_as_asked():
    repeated = "2026-11-01 01:30:00"  # happens at 06:30Z (CDT) and again at 07:30Z (CST)
    assert TimestampParser("iso", CHICAGO)(repeated) == ns("2026-11-01T06:30:00Z")
    assert TimestampParser("iso", CHICAGO, Ambiguous.LATEST)(repeated) == ns("2026-11-01T07:30:00Z")
    with pytest.raises(ValueError, match="ambiguous"):
        TimestampParser("iso", CHICAGO, Ambiguous.RAISE)(repeated)


def test_naive_wall_nanoseconds_take_the_zone():
    wall = ns("2026-03-02T08:30:00Z") + 42  # 08:30 local, as a naive Arrow timestamp holds it
    assert TimestampParser(WALL_NS, CHICAGO)(wall) == T + 42


def test_datetimes_from_files_are_read_too():
    assert TimestampParser("iso")(datetime(2026, 3, 2, 14, 30, tzinfo=UTC)) == T


@pytest.mark.parametrize(
    ("fmt", "value"),
    [
        ("s", "soon"),
        ("ms", ""),
        ("iso", "2026-13-01T00:00:00Z"),
        ("%Y%m%d", "2026-03-02"),
        ("s", True),
    ],
)
def test_unreadable_timestamps_raise_value_errors(fmt, value):
    with pytest.raises(ValueError):
        TimestampParser(fmt)(value)


def test_an_unknown_format_or_zone_is_refused_up_front():
    with pytest.raises(ValueError, match="timestamp format"):
        TimestampParser("seconds")
    with pytest.raises(Exception, match="Mars"):
        TimestampParser("iso", "Mars/Olympus")


def test_numbers_are_exact_decimals():
    assert to_decimal("5120.25") == Decimal("5120.25")
    assert to_decimal(0.1) == Decimal("0.1")  # the float's shortest form, not its binary value
    assert to_decimal(3) == Decimal(3)
    for bad in ("abc", "NaN", "inf", None, True):
        with pytest.raises(ValueError):
            to_decimal(bad)
    with pytest.raises(ValueError, match="not positive"):
        to_positive("0")


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("BUY", AggressorSide.BUY),
        ("b", AggressorSide.BUY),
        ("1", AggressorSide.BUY),
        ("Sell", AggressorSide.SELL),
        ("S", AggressorSide.SELL),
        ("-1", AggressorSide.SELL),
        ("", AggressorSide.NONE),
        ("n", AggressorSide.NONE),
        (None, AggressorSide.NONE),
    ],
)
def test_aggressor_sides_are_read_in_their_common_spellings(text, side):
    assert to_side(text) == side


def test_symbols_and_trade_ids_are_checked():
    assert to_symbol(" ESZ6 ") == "ESZ6"
    with pytest.raises(ValueError, match="not a symbol"):
        to_symbol("ES Z6")
    assert to_trade_id("") is None
    assert to_trade_id(123) == "123"
    with pytest.raises(ValueError, match="longer than 64"):
        to_trade_id("x" * 65)
    with pytest.raises(ValueError, match="aggressor side"):
        to_side("up")


def test_a_column_map_reads_field_equals_column_pairs():
    columns = ColumnMap.parse("ts=time, price=px,size=qty")
    assert columns.resolve(["time", "px", "qty", "side"]) == {
        "ts": "time",
        "price": "px",
        "size": "qty",
        "side": "side",  # unmapped optional fields are used when a column has their name
    }


def test_a_column_map_names_what_is_wrong():
    with pytest.raises(ColumnMapError, match="unknown trades field"):
        ColumnMap.parse("ts=time,colour=red")
    with pytest.raises(ColumnMapError, match="field=column"):
        ColumnMap.parse("ts")
    with pytest.raises(ColumnMapError, match="twice"):
        ColumnMap.parse("ts=a,ts=b")
    with pytest.raises(KeyError) as missing:
        ColumnMap.parse("ts=time,side=aggressor").resolve(["time", "price", "size"])
    assert missing.value.args == ("side", "aggressor")
    assert ColumnMap.parse("", RecordKind.BARS).resolve(
        ["ts", "open", "high", "low", "close", "volume"]
    ) == {name: name for name in ("ts", "open", "high", "low", "close", "volume")}
