"""The synthetic market: deterministic, on the tick grid, inside sessions, bursty."""

import itertools
import statistics
from collections import Counter
from decimal import Decimal

import pytest

from market_data_engine.feeds import DEMO_SYMBOLS, FeedTrade, SyntheticMarket
from shared.instruments import AssetClass, Instrument, InstrumentRegistry, UnknownInstrument
from shared.messages.schemas.marketdata import AggressorSide
from tests.unit.feeds.times import DAY, HOUR, MINUTE, SECOND, ns

REGISTRY = InstrumentRegistry.with_standard_futures()
MONDAY = ns("2026-03-02T00:00:00Z")  # 18:00 Sunday in Chicago: the session is open


def take(market: SyntheticMarket, count: int, start: int = MONDAY) -> list[FeedTrade]:
    return list(itertools.islice(market.trades(start), count))


def test_the_same_seed_gives_the_same_trades():
    first = take(SyntheticMarket(DEMO_SYMBOLS, seed=7), 5000)
    again = take(SyntheticMarket(DEMO_SYMBOLS, seed=7), 5000)
    assert first == again


def test_another_seed_gives_other_trades():
    first = take(SyntheticMarket(DEMO_SYMBOLS, seed=7), 500)
    other = take(SyntheticMarket(DEMO_SYMBOLS, seed=8), 500)
    assert [t.ts for t in first] != [t.ts for t in other]


def test_adding_a_symbol_leaves_the_others_trades_unchanged():
    alone = list(SyntheticMarket(["ESZ6"], seed=3).trades(MONDAY, MONDAY + HOUR))
    together = SyntheticMarket(["ESZ6", "CLF7"], seed=3).trades(MONDAY, MONDAY + HOUR)
    assert [t for t in together if t.symbol == "ESZ6"] == alone
    assert alone


def test_trades_come_in_event_time_order_with_unique_trade_ids():
    trades = take(SyntheticMarket(DEMO_SYMBOLS, seed=1), 20_000)
    assert all(a.ts <= b.ts for a, b in itertools.pairwise(trades))
    assert len({t.trade_id for t in trades}) == len(trades)
    assert {t.symbol for t in trades} == set(DEMO_SYMBOLS)


@pytest.mark.parametrize("symbol", ["ESZ6", "NQZ6", "CLF7", "GCG7", "YMH7", "RTYH7", "MESZ6"])
def test_every_price_is_positive_and_on_the_tick_grid(symbol):
    instrument = REGISTRY.get(symbol)
    trades = take(SyntheticMarket([symbol], seed=11), 20_000)
    assert all(t.price > 0 and instrument.is_on_tick(t.price) for t in trades)
    assert len({t.price for t in trades}) > 5  # the price moves


def test_an_instrument_registered_by_hand_trades_on_its_own_grid():
    registry = InstrumentRegistry.with_standard_futures()
    stock = Instrument(
        symbol="ACME",
        root="ACME",
        asset_class=AssetClass.EQUITY,
        exchange="XNYS",
        currency="USD",
        tick_size=Decimal("0.01"),
        point_value=Decimal(1),
    )
    registry.register(stock)
    trades = take(SyntheticMarket(["ACME"], seed=2, registry=registry), 5000)
    assert all(t.price == t.price.quantize(Decimal("0.01")) for t in trades)
    assert trades[1].ts - trades[0].ts < HOUR  # no session: it trades around the clock


def test_sizes_are_whole_positive_and_skewed_and_both_sides_aggress():
    trades = take(SyntheticMarket(["ESZ6"], seed=5), 20_000)
    sizes = [t.size for t in trades]
    assert all(s >= 1 and s == s.to_integral_value() for s in sizes)
    assert statistics.median(sizes) == 1
    assert max(sizes) >= 20
    assert statistics.mean(sizes) > statistics.median(sizes)
    sides = Counter(t.side for t in trades)
    assert set(sides) == {AggressorSide.BUY, AggressorSide.SELL}
    assert 0.4 < sides[AggressorSide.BUY] / len(trades) < 0.6


def test_no_trade_while_the_session_is_closed_over_a_week_with_a_dst_change():
    market = SyntheticMarket(["ESZ6", "CLF7"], seed=9, activity=0.05)
    start = ns("2026-03-05T12:00:00Z")  # Thursday, through the weekend and DST start
    trades = list(market.trades(start, start + 6 * DAY))
    session = REGISTRY.get("ESZ6").session
    assert session is not None
    assert all(session.is_open(t.ts) for t in trades)
    # The daily break is 16:00-17:00 Chicago: 22:00 UTC in winter, 21:00 UTC in summer.
    assert not [
        t for t in trades if ns("2026-03-05T22:00:00Z") <= t.ts < ns("2026-03-05T23:00:00Z")
    ]
    assert not [
        t for t in trades if ns("2026-03-09T21:00:00Z") <= t.ts < ns("2026-03-09T22:00:00Z")
    ]
    assert [t for t in trades if ns("2026-03-09T22:00:00Z") <= t.ts < ns("2026-03-09T23:00:00Z")]
    # Closed from Friday 16:00 to Sunday 17:00 Chicago; trading resumes soon after.
    weekend = [t for t in trades if ns("2026-03-06T22:00:00Z") <= t.ts < ns("2026-03-08T22:00:00Z")]
    assert weekend == []
    assert any(
        t.ts < ns("2026-03-08T22:10:00Z") for t in trades if t.ts >= ns("2026-03-08T22:00:00Z")
    )


def test_always_open_trades_through_the_weekend():
    market = SyntheticMarket(["ESZ6"], seed=9, respect_sessions=False, activity=0.2)
    saturday = ns("2026-03-07T12:00:00Z")
    assert list(market.trades(saturday, saturday + HOUR))


def test_arrivals_are_burstier_than_a_poisson_process():
    start = ns("2026-03-03T15:00:00Z")  # 09:00 Chicago, inside the day session
    trades = list(SyntheticMarket(["ESZ6"], seed=4).trades(start, start + HOUR))
    gaps = [b.ts - a.ts for a, b in itertools.pairwise(trades)]
    # Poisson arrivals have a coefficient of variation of 1; clustering makes it larger.
    assert statistics.pstdev(gaps) / statistics.mean(gaps) > 1.5
    per_second = Counter((t.ts - start) // SECOND for t in trades)
    counts = [per_second.get(k, 0) for k in range(3600)]
    assert statistics.pvariance(counts) / statistics.mean(counts) > 3  # Fano factor
    assert counts.count(0) > 100  # quiet seconds in an hour of ten trades a second


def test_the_day_session_is_busier_than_the_night():
    market = SyntheticMarket(["ESZ6"], seed=6)
    night = ns("2026-03-03T08:00:00Z")  # 02:00 Chicago
    day = ns("2026-03-03T16:00:00Z")  # 10:00 Chicago
    busy = len(list(market.trades(day, day + HOUR)))
    quiet = len(list(market.trades(night, night + HOUR)))
    assert busy > 3 * quiet > 0


def test_a_day_moves_the_price_by_a_plausible_amount():
    trades = list(SyntheticMarket(["ESZ6"], seed=12).trades(MONDAY, MONDAY + DAY))
    prices = [t.price for t in trades]
    assert Decimal("4500") < min(prices) <= max(prices) < Decimal("5500")
    assert max(prices) - min(prices) >= 5  # it does move


def test_end_time_is_exclusive_and_trade_ids_depend_on_the_start():
    market = SyntheticMarket(["NQZ6"], seed=1)
    trades = list(market.trades(MONDAY, MONDAY + 10 * MINUTE))
    assert trades and all(MONDAY < t.ts < MONDAY + 10 * MINUTE for t in trades)
    later = take(market, 1, start=MONDAY + DAY)
    assert later[0].trade_id != trades[0].trade_id


def test_unknown_or_repeated_symbols_are_refused():
    with pytest.raises(UnknownInstrument):
        SyntheticMarket(["XYZ9"], seed=1)
    with pytest.raises(ValueError, match="repeat"):
        SyntheticMarket(["ESZ6", "ESZ6"], seed=1)
