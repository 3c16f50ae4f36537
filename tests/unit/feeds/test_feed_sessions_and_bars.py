"""Session arithmetic for feeds, and bars replayed as trades (property tests)."""

from datetime import time
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from market_data_engine.feeds.replay_bars import bar_trades, split_volume
from market_data_engine.feeds.sessions import SessionCalendar, next_open_ns, session_start_ns
from shared.instruments import CME_GLOBEX, TradingSession
from tests.unit.feeds.times import DAY, MINUTE, ns

WEEKS = (ns("2026-01-05T00:00:00Z"), ns("2026-12-28T00:00:00Z"))
XETRA = TradingSession("Xetra", "Europe/Berlin", time(9), time(17, 30))


def test_the_next_cme_open_after_the_friday_close_is_sunday_evening():
    assert next_open_ns(CME_GLOBEX, ns("2026-03-06T16:00:00-06:00")) == ns(
        "2026-03-08T17:00:00-05:00"
    )
    assert next_open_ns(CME_GLOBEX, ns("2026-03-03T16:30:00-06:00")) == ns(
        "2026-03-03T17:00:00-06:00"
    )


def test_the_running_session_started_at_the_last_open():
    assert session_start_ns(CME_GLOBEX, ns("2026-03-03T10:00:00-06:00")) == ns(
        "2026-03-02T17:00:00-06:00"
    )
    assert session_start_ns(CME_GLOBEX, ns("2026-03-09T10:00:00-05:00")) == ns(
        "2026-03-08T17:00:00-05:00"
    )
    assert session_start_ns(CME_GLOBEX, ns("2026-03-07T10:00:00-06:00")) is None
    assert session_start_ns(XETRA, ns("2026-03-03T12:00:00+01:00")) == ns(
        "2026-03-03T09:00:00+01:00"
    )


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(*WEEKS), min_size=1, max_size=200),
    st.sampled_from([CME_GLOBEX, XETRA]),
)
def test_the_calendar_agrees_with_the_session_for_rising_times(times, session):
    calendar = SessionCalendar(session)
    for ts in sorted(times):
        assert calendar.is_open(ts) == session.is_open(ts)
        change = calendar.next_change_ns(ts)
        assert change > ts
        assert session.is_open(change - 1) == session.is_open(ts)  # the state holds until then
        assert session.is_open(change) != session.is_open(ts)


def test_the_calendar_without_a_session_is_always_open():
    calendar = SessionCalendar(None)
    assert calendar.is_open(ns("2026-03-07T12:00:00Z"))
    assert calendar.opened_at_ns(ns("2026-03-07T12:00:00Z")) == 0


PRICES = st.decimals(min_value=1, max_value=10_000, places=2)


@given(st.decimals(min_value="0.001", max_value=100_000, places=3), st.integers(1, 4))
def test_split_volume_sums_exactly_with_positive_parts(volume, parts):
    sizes = split_volume(volume, parts)
    assert len(sizes) == parts and sum(sizes) == volume and all(s > 0 for s in sizes)
    if volume == volume.to_integral_value() and volume >= parts:
        assert all(s == s.to_integral_value() for s in sizes)


@given(st.lists(PRICES, min_size=4, max_size=4), st.integers(1, 10_000))
def test_a_bars_trades_rebuild_its_open_high_low_close_and_volume(prices, volume):
    open_, close = prices[0], prices[1]
    high, low = max(prices), min(prices)
    start = ns("2026-03-02T14:30:00Z")
    trades = bar_trades("ESZ6", start, MINUTE, (open_, high, low, close), Decimal(volume))
    assert trades[0].price == open_ and trades[-1].price == close
    assert max(t.price for t in trades) == high and min(t.price for t in trades) == low
    assert sum(t.size for t in trades) == volume
    assert all(start <= t.ts < start + MINUTE for t in trades)
    assert [t.ts for t in trades] == sorted({t.ts for t in trades})


def test_a_weeks_worth_of_days_is_a_day_apart():
    assert DAY == 24 * 60 * MINUTE
