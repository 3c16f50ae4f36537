"""Feed health transitions: LIVE, STALE after the threshold in session, CLOSED out of it."""

from collections.abc import Sequence

from market_data_engine.feeds import FeedHealth, StatusChange
from market_data_engine.feeds.health import SessionOf
from shared.instruments import CME_GLOBEX, TradingSession
from shared.messages.schemas.feeds import FeedState
from tests.unit.feeds.times import HOUR, MINUTE, SECOND, ns

LIVE, STALE, CLOSED = FeedState.LIVE, FeedState.STALE, FeedState.CLOSED
MON_10 = ns("2026-03-02T10:00:00-06:00")  # Monday 10:00 Chicago, session open
BREAK = ns("2026-03-02T16:00:00-06:00")  # the daily break starts
REOPEN = ns("2026-03-02T17:00:00-06:00")


def cme(symbol: str) -> TradingSession:
    return CME_GLOBEX


def health(
    symbols: Sequence[str] = ("ESZ6",), started: int = MON_10, session_of: SessionOf = cme
) -> FeedHealth:
    return FeedHealth(MINUTE, session_of, started_ns=started, symbols=symbols)


def states(
    changes: list[StatusChange],
) -> list[tuple[str, FeedState | None, FeedState]]:
    return [(c.payload.symbol, c.payload.previous_state, c.payload.state) for c in changes]


def test_the_first_check_reports_each_symbols_state():
    monitor = health(("ESZ6", "NQZ6"))
    assert states(monitor.check(MON_10 + SECOND)) == [("ESZ6", None, LIVE), ("NQZ6", None, LIVE)]
    assert monitor.check(MON_10 + 2 * SECOND) == []  # no change, no event


def test_silence_beyond_the_threshold_in_session_is_stale_and_a_trade_makes_it_live():
    monitor = health()
    monitor.check(MON_10)
    monitor.record("ESZ6", MON_10 + 10 * SECOND)
    assert monitor.check(MON_10 + 70 * SECOND) == []  # 60 s since the trade: not beyond
    [stale] = monitor.check(MON_10 + 71 * SECOND)
    assert (stale.payload.previous_state, stale.payload.state) == (LIVE, STALE)
    assert stale.payload.last_trade_ts == MON_10 + 10 * SECOND
    assert stale.payload.silent_for_ns == 61 * SECOND
    assert stale.payload.threshold_ns == MINUTE
    assert stale.ts_ns == MON_10 + 71 * SECOND
    [live] = monitor.record("ESZ6", MON_10 + 80 * SECOND)
    assert (live.payload.previous_state, live.payload.state) == (STALE, LIVE)
    assert live.ts_ns == MON_10 + 80 * SECOND
    assert monitor.check(MON_10 + 81 * SECOND) == []


def test_a_symbol_never_traded_counts_its_silence_from_the_start_of_monitoring():
    monitor = health()
    assert states(monitor.check(MON_10 + MINUTE)) == [("ESZ6", None, LIVE)]
    [change] = monitor.check(MON_10 + MINUTE + 1)
    assert change.payload.state is STALE and change.payload.last_trade_ts is None


def test_the_daily_break_is_closed_not_stale_and_silence_restarts_at_the_open():
    monitor = health()
    monitor.record("ESZ6", BREAK - SECOND)
    monitor.check(BREAK - SECOND)
    assert states(monitor.check(BREAK)) == [("ESZ6", LIVE, CLOSED)]
    assert monitor.check(BREAK + 30 * MINUTE) == []  # an hour of silence, still just closed
    assert states(monitor.check(REOPEN)) == [("ESZ6", CLOSED, LIVE)]
    assert monitor.check(REOPEN + MINUTE) == []  # a minute after the open: not beyond yet
    [stale] = monitor.check(REOPEN + MINUTE + SECOND)
    assert stale.payload.state is STALE and stale.payload.silent_for_ns == MINUTE + SECOND


def test_the_weekend_is_closed_until_sunday_evening():
    monitor = health(started=ns("2026-03-06T15:59:00-06:00"))
    assert states(monitor.check(ns("2026-03-06T15:59:30-06:00"))) == [("ESZ6", None, LIVE)]
    assert states(monitor.check(ns("2026-03-06T16:00:00-06:00"))) == [("ESZ6", LIVE, CLOSED)]
    assert monitor.check(ns("2026-03-07T12:00:00-06:00")) == []
    assert monitor.check(ns("2026-03-08T16:59:59-05:00")) == []  # Sunday, after DST began
    assert states(monitor.check(ns("2026-03-08T17:00:00-05:00"))) == [("ESZ6", CLOSED, LIVE)]


def test_a_stale_feed_whose_session_closes_becomes_closed():
    monitor = health()
    monitor.record("ESZ6", BREAK - 10 * MINUTE)
    monitor.check(BREAK - 10 * MINUTE)
    assert states(monitor.check(BREAK - MINUTE)) == [("ESZ6", LIVE, STALE)]
    assert states(monitor.check(BREAK)) == [("ESZ6", STALE, CLOSED)]


def test_a_symbol_first_seen_in_a_trade_is_watched_and_sessionless_ones_never_close():
    monitor = health(symbols=(), session_of=lambda symbol: None)
    assert monitor.record("BTC-USD", ns("2026-03-07T12:00:00Z")) == []
    [change] = monitor.check(ns("2026-03-07T12:00:30Z"))  # a Saturday
    assert (change.payload.symbol, change.payload.state) == ("BTC-USD", LIVE)
    [stale] = monitor.check(ns("2026-03-07T14:00:00Z"))
    assert stale.payload.state is STALE and stale.payload.silent_for_ns == 2 * HOUR


def test_an_older_trade_does_not_move_the_last_trade_time_back():
    monitor = health()
    monitor.record("ESZ6", MON_10 + 50 * SECOND)
    monitor.record("ESZ6", MON_10 + 20 * SECOND)
    assert monitor.symbols["ESZ6"].last_trade_ts == MON_10 + 50 * SECOND
