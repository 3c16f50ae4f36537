import dataclasses
from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from shared.clock import datetime_to_ns
from shared.instruments import (
    CME_GLOBEX,
    STANDARD_FUTURES,
    AssetClass,
    Instrument,
    InstrumentRegistry,
    TradingSession,
    UnknownInstrument,
)
from shared.values import Money, Price, Quantity, TickRounding

CHICAGO = ZoneInfo("America/Chicago")


def chicago(year: int, month: int, day: int, hour: int, minute: int) -> int:
    return datetime_to_ns(datetime(year, month, day, hour, minute, tzinfo=CHICAGO))


@pytest.fixture
def registry() -> InstrumentRegistry:
    return InstrumentRegistry.with_standard_futures()


def equity(symbol: str = "AAPL") -> Instrument:
    return Instrument(
        symbol=symbol,
        root=symbol,
        asset_class=AssetClass.EQUITY,
        exchange="NASDAQ",
        currency="USD",
        tick_size=Decimal("0.01"),
        point_value=Decimal(1),
        commission_rate=Decimal("0.0005"),
        session=TradingSession("US equities", "America/New_York", time(9, 30), time(16)),
    )


# The architecture's table: root, $ per point, tick, $ per tick.
TABLE = [
    ("ES", "50", "0.25", "12.50"),
    ("MES", "5", "0.25", "1.25"),
    ("NQ", "20", "0.25", "5.00"),
    ("MNQ", "2", "0.25", "0.50"),
    ("YM", "5", "1.00", "5.00"),
    ("RTY", "50", "0.10", "5.00"),
    ("CL", "1000", "0.01", "10.00"),
    ("GC", "100", "0.10", "10.00"),
]


@pytest.mark.parametrize(("root", "point", "tick", "per_tick"), TABLE)
def test_standard_futures_match_the_spec_table(registry, root, point, tick, per_tick):
    spec = registry.get(root)
    assert spec.asset_class is AssetClass.FUTURE
    assert spec.currency == "USD"
    assert spec.point_value == Decimal(point)
    assert spec.tick_size == Decimal(tick)
    assert spec.tick_value == Money(per_tick, "USD")
    assert spec.session == CME_GLOBEX


def test_the_standard_roots_are_exactly_the_eight_of_the_table():
    assert sorted(i.root for i in STANDARD_FUTURES) == sorted(row[0] for row in TABLE)


@pytest.mark.parametrize(
    ("symbol", "root"),
    [("ESZ6", "ES"), ("ESZ26", "ES"), ("MNQH7", "MNQ"), ("NQM6", "NQ"), ("MESU26", "MES")],
)
def test_contract_symbols_resolve_to_their_root(registry, symbol, root):
    spec = registry.get(symbol)
    assert spec.root == root
    assert spec.symbol == symbol
    assert spec.tick_value == registry.get(root).tick_value
    assert symbol in registry


@pytest.mark.parametrize("symbol", ["XYZZ6", "ESA6", "ESZ", "ESZ266", "esz6", "", "SPY"])
def test_unknown_symbols_raise_a_clear_error(registry, symbol):
    with pytest.raises(UnknownInstrument) as caught:
        registry.get(symbol)
    message = str(caught.value)
    assert repr(symbol) in message
    assert "MNQ" in message and "month code" in message
    assert registry.find(symbol) is None
    assert symbol not in registry


def test_any_instrument_can_be_registered_and_found(registry):
    registry.register(equity())
    spec = registry.get("AAPL")
    assert spec.tick_value == Money("0.01", "USD")
    assert len(registry) == len(STANDARD_FUTURES) + 1
    assert spec in list(registry)


def test_registering_a_taken_symbol_needs_replace(registry):
    registry.register(equity())
    with pytest.raises(ValueError, match="already registered"):
        registry.register(equity())
    cheaper = dataclasses.replace(equity(), commission_rate=Decimal(0))
    registry.register(cheaper, replace=True)
    assert registry.get("AAPL").commission_rate == 0


def test_a_registered_contract_wins_over_its_root(registry):
    special = dataclasses.replace(
        registry.get("ES").for_contract("ESZ6"), commission_per_contract=Decimal("1.00")
    )
    registry.register(special)
    assert registry.get("ESZ6").commission_per_contract == Decimal("1.00")
    assert registry.get("ESH7").commission_per_contract == Decimal("2.25")


def test_money_arithmetic_through_the_instrument(registry):
    es = registry.get("ESZ6")
    assert es.notional(Price("5000"), Quantity("2")) == Money("500000", "USD")
    assert es.value_of_points(Decimal("4"), Quantity("2")) == Money("400", "USD")
    assert es.commission(Quantity("3"), Price("5000")) == Money("6.75", "USD")
    assert equity().commission(Decimal(100), Decimal(200)) == Money("10.00", "USD")
    assert registry.get("CL").notional(Price("-37.63"), Quantity(1)) == Money("37630", "USD")


def test_tick_and_quantity_checks(registry):
    es = registry.get("ES")
    assert es.is_on_tick(Price("5120.25"))
    assert not es.is_on_tick(Price("5120.30"))
    assert es.round_price(Price("5120.30"), TickRounding.UP) == Price("5120.50")
    assert es.is_valid_quantity(Quantity("2"))
    assert not es.is_valid_quantity(Quantity("1.5"))
    assert not es.is_valid_quantity(Quantity("0"))


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("tick_size", Decimal(0), ValueError),
        ("point_value", Decimal(-1), ValueError),
        ("commission_rate", Decimal(-1), ValueError),
        ("tick_size", 0.25, TypeError),
        ("currency", "usd", ValueError),
    ],
)
def test_bad_specs_are_refused(field, value, error):
    with pytest.raises(error):
        dataclasses.replace(equity(), **{field: value})


def test_a_session_with_an_unknown_time_zone_is_refused():
    with pytest.raises(KeyError):
        TradingSession("x", "Mars/Olympus", time(9), time(17))


@pytest.mark.parametrize(
    ("when", "is_open"),
    [
        ((2026, 3, 1, 16, 59), False),  # Sunday before the open
        ((2026, 3, 1, 17, 0), True),  # Sunday evening: Monday's session
        ((2026, 3, 2, 15, 59), True),
        ((2026, 3, 2, 16, 0), False),  # daily break
        ((2026, 3, 2, 16, 30), False),
        ((2026, 3, 2, 17, 0), True),  # Tuesday's session
        ((2026, 3, 6, 16, 0), False),  # Friday close
        ((2026, 3, 6, 18, 0), False),  # no Saturday session
        ((2026, 3, 7, 12, 0), False),
        ((2026, 3, 9, 15, 59), True),  # after the DST change, still local hours
        ((2026, 3, 9, 16, 0), False),
    ],
)
def test_globex_hours_in_chicago_time(when, is_open):
    assert CME_GLOBEX.is_open(chicago(*when)) is is_open


def test_globex_follows_daylight_saving_in_utc():
    # 21:00 UTC is 15:00 CST (open) before 2026-03-08 and 16:00 CDT (break) after.
    utc = ZoneInfo("UTC")
    assert CME_GLOBEX.is_open(datetime_to_ns(datetime(2026, 3, 2, 21, tzinfo=utc)))
    assert not CME_GLOBEX.is_open(datetime_to_ns(datetime(2026, 3, 9, 21, tzinfo=utc)))


@pytest.mark.parametrize(
    ("when", "close"),
    [
        ((2026, 3, 2, 10, 0), (2026, 3, 2, 16, 0)),
        ((2026, 3, 1, 18, 0), (2026, 3, 2, 16, 0)),
        ((2026, 3, 2, 16, 30), (2026, 3, 3, 16, 0)),
        ((2026, 3, 6, 16, 30), (2026, 3, 9, 16, 0)),  # Friday evening: Monday's close
    ],
)
def test_next_close_is_the_close_of_the_running_or_next_session(when, close):
    assert CME_GLOBEX.next_close_ns(chicago(*when)) == chicago(*close)


def test_a_day_session_opens_and_closes_the_same_day():
    session = equity().session
    assert session is not None
    new_york = ZoneInfo("America/New_York")

    def at(hour: int, minute: int) -> int:
        return datetime_to_ns(datetime(2026, 3, 2, hour, minute, tzinfo=new_york))

    assert not session.is_open(at(9, 29))
    assert session.is_open(at(9, 30))
    assert not session.is_open(at(16, 0))
    assert session.next_close_ns(at(17, 0)) == datetime_to_ns(
        datetime(2026, 3, 3, 16, tzinfo=new_york)
    )
