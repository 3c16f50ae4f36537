"""The streaming aggregator's rules, example by example."""

from __future__ import annotations

from datetime import time

import pytest

from market_data_engine.domain.aggregator import Aggregator
from market_data_engine.domain.candles import Candle
from shared.instruments import CME_GLOBEX, TradingSession
from tests.unit.market_data_engine.streams import HOUR, MINUTE, SECOND, chicago

T0 = chicago(2025, 1, 7, 9, 30)  # a Tuesday, 15:30 UTC: on a 15-minute boundary
M = MINUTE


def make(timeframes=("1m", "5m", "15m", "1h", "4h", "1d"), grace=0) -> tuple[Aggregator, int]:
    aggregator = Aggregator(timeframes, grace_ns=grace)
    return aggregator, aggregator.add_symbol("ES", CME_GLOBEX)


def of(candles: list[Candle], timeframe: str) -> list[Candle]:
    return [candle for candle in candles if candle.timeframe == timeframe]


def test_a_trade_of_a_later_interval_closes_the_candle():
    aggregator, es = make()
    aggregator.on_trade(es, T0 + 1, 100, 2)
    aggregator.on_trade(es, T0 + 30 * SECOND, 104, 1)
    assert aggregator.take_closed() == []
    aggregator.on_trade(es, T0 + M, 99, 5)
    (candle,) = aggregator.take_closed()
    assert candle == Candle("ES", "1m", T0, T0 + M, 100, 104, 100, 104, 3, 2, 304)
    assert candle.vwap == pytest.approx(304 / 3)


def test_no_candle_is_made_for_an_interval_without_trades():
    aggregator, es = make(("1m", "5m"))
    aggregator.on_trade(es, T0, 100, 1)
    aggregator.on_trade(es, T0 + 12 * M, 101, 1)
    aggregator.flush()
    opens = [(c.timeframe, c.open_time) for c in aggregator.take_closed()]
    assert opens == [("1m", T0), ("5m", T0), ("1m", T0 + 12 * M), ("5m", T0 + 10 * M)]


def test_an_out_of_order_trade_inside_the_forming_interval_updates_it():
    aggregator, es = make(("1m",))
    aggregator.on_trade(es, T0 + 20 * SECOND, 100, 1)
    aggregator.on_trade(es, T0 + 40 * SECOND, 103, 1)
    assert aggregator.on_trade(es, T0 + 10 * SECOND, 98, 2) == 0  # earliest: the new open
    assert aggregator.on_trade(es, T0 + 30 * SECOND, 107, 1) == 0  # not the latest: no close
    assert aggregator.forming(es, "1m") == Candle(
        "ES", "1m", T0, T0 + M, 98, 107, 98, 103, 5, 4, 100 + 103 + 196 + 107
    )


def test_a_trade_for_an_emitted_interval_is_counted_late_and_not_folded_in():
    aggregator, es = make()
    aggregator.on_trade(es, T0 + 10 * SECOND, 100, 1)
    aggregator.on_trade(es, T0 + M, 101, 1)
    (emitted,) = aggregator.take_closed()
    assert aggregator.on_trade(es, T0 + 50 * SECOND, 90, 7) == 1  # late on 1m only
    assert aggregator.late_counts()["ES", "1m"] == 1
    assert aggregator.late_counts()["ES", "5m"] == 0
    aggregator.flush()
    candles = aggregator.take_closed()
    assert of(candles, "1m")[0].open_time == T0 + M  # the emitted minute was not redone
    assert emitted.low == 100
    five = of(candles, "5m")[0]  # the 5-minute candle was still forming: it takes the trade
    assert (five.open, five.low, five.close, five.volume, five.trade_count) == (100, 90, 101, 9, 3)


def test_a_trade_older_than_every_forming_candle_is_late_on_every_timeframe():
    aggregator, es = make()
    aggregator.on_trade(es, T0, 100, 1)
    aggregator.on_trade(es, T0 + 2 * 24 * HOUR, 100, 1)
    assert aggregator.on_trade(es, T0 + M, 100, 1) == 6
    assert set(aggregator.late_counts().values()) == {1}


def test_a_trade_older_than_the_forming_minute_is_late_even_if_its_minute_had_no_candle():
    aggregator, es = make(("1m", "5m"))
    aggregator.on_trade(es, T0 + 3 * M, 100, 1)
    assert aggregator.on_trade(es, T0 + M, 95, 1) == 1  # 1m is in order per timeframe
    assert aggregator.forming(es, "5m").low == 95  # type: ignore[union-attr]


def test_the_clock_closes_a_candle_at_its_end_plus_the_grace():
    aggregator, es = make(("1m", "5m"), grace=2 * SECOND)
    aggregator.on_trade(es, T0 + 4 * M + 1, 100, 1)
    aggregator.advance(T0 + 5 * M + 2 * SECOND - 1)
    assert aggregator.take_closed() == []
    aggregator.advance(T0 + 5 * M + 2 * SECOND)
    assert [(c.timeframe, c.open_time) for c in aggregator.take_closed()] == [
        ("1m", T0 + 4 * M),
        ("5m", T0),
    ]


def test_a_late_trade_within_the_grace_amends_the_forming_candle():
    aggregator, es = make(("1m",), grace=2 * SECOND)
    aggregator.on_trade(es, T0 + 1, 100, 1)
    aggregator.advance(T0 + M + SECOND)  # past the end, within the grace
    assert aggregator.on_trade(es, T0 + 59 * SECOND, 101, 1) == 0
    aggregator.advance(T0 + M + 2 * SECOND)
    (candle,) = aggregator.take_closed()
    assert (candle.close, candle.trade_count) == (101, 2)


def test_an_interval_the_clock_has_closed_takes_no_trades_even_without_a_candle():
    aggregator, es = make(("1m", "5m", "1d"))
    aggregator.on_trade(es, T0 + 1, 100, 1)
    aggregator.advance(T0 + 12 * M + 30 * SECOND)
    assert len(aggregator.take_closed()) == 2  # the 1m and 5m candles; the day still forms
    assert aggregator.on_trade(es, T0 + 9 * M, 100, 1) == 2  # minute 9 and 5..10 are final
    assert aggregator.on_trade(es, T0 + 11 * M, 100, 1) == 1  # minute 11 is, 10..15 is not
    assert aggregator.on_trade(es, T0 + 12 * M, 100, 1) == 0  # minute 12 is not
    aggregator.flush()
    assert [c.trade_count for c in aggregator.take_closed()] == [1, 2, 4]


def test_a_wider_interval_the_clock_has_closed_takes_no_trades():
    aggregator, es = make(("1m", "5m"))
    aggregator.advance(T0 + 7 * M)  # no trade yet: the clock alone makes 0..5 final
    assert aggregator.on_trade(es, T0 + 4 * M, 100, 1) == 2
    assert aggregator.on_trade(es, T0 + 7 * M, 100, 1) == 0
    assert aggregator.on_trade(es, T0 + 6 * M, 100, 1) == 1  # in the forming 5m only


def test_a_trade_before_the_clock_minute_still_starts_the_open_wider_candle():
    aggregator, es = make(("1m", "5m"))
    aggregator.on_trade(es, T0, 100, 1)
    aggregator.advance(T0 + 7 * M)  # minutes up to 7 and the first 5m are final; 5..10 is not
    aggregator.take_closed()
    assert aggregator.on_trade(es, T0 + 6 * M, 90, 1) == 1  # late on 1m, starts 5m at 5
    assert aggregator.forming(es, "5m") == Candle(
        "ES", "5m", T0 + 5 * M, T0 + 10 * M, 90, 90, 90, 90, 1, 1, 90
    )


def test_daily_candles_run_from_17_00_to_17_00_chicago_time():
    aggregator, es = make(("1m", "1d"))
    close = chicago(2025, 1, 7, 17)
    aggregator.on_trade(es, close - 1, 100, 1)
    aggregator.on_trade(es, close, 101, 1)
    (day,) = of(aggregator.take_closed(), "1d")
    assert (day.open_time, day.close_time) == (chicago(2025, 1, 6, 17), close)
    assert aggregator.forming(es, "1d").open_time == close  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("inside", "opens", "hours"),
    [
        (chicago(2024, 3, 10, 12), chicago(2024, 3, 9, 17), 23),
        (chicago(2024, 11, 3, 12), chicago(2024, 11, 2, 17), 25),
    ],
)
def test_trading_days_across_daylight_saving_changes_last_23_or_25_hours(inside, opens, hours):
    aggregator, es = make()
    aggregator.on_trade(es, inside, 100, 1)
    aggregator.flush()
    (day,) = of(aggregator.take_closed(), "1d")
    assert day.open_time == opens
    assert day.close_time - day.open_time == hours * HOUR


def test_the_forming_view_merges_closed_minutes_with_the_current_one():
    aggregator, es = make()
    aggregator.on_trade(es, T0, 100, 1)
    aggregator.on_trade(es, T0 + 2 * M, 110, 1)
    hour = aggregator.forming(es, "1h")
    assert hour is not None
    assert (hour.open, hour.high, hour.close, hour.trade_count) == (100, 110, 110, 2)
    assert aggregator.forming(es, "1m").trade_count == 1  # type: ignore[union-attr]
    with pytest.raises(KeyError, match="2m"):
        aggregator.forming(es, "2m")


def test_nothing_is_forming_before_the_first_trade():
    aggregator, es = make()
    assert aggregator.forming(es, "1m") is None
    assert aggregator.forming(es, "1d") is None
    assert aggregator.last_emitted(es, "1m") is None


def test_an_internal_base_interval_is_never_emitted():
    aggregator, es = make(("4h", "1d"))
    aggregator.on_trade(es, T0, 100, 1)
    aggregator.on_trade(es, T0 + 20 * M, 90, 1)
    assert aggregator.take_closed() == []  # the 15-minute base is internal
    assert aggregator.forming(es, "4h").low == 90  # type: ignore[union-attr]
    assert set(aggregator.late_counts()) == {("ES", "4h"), ("ES", "1d")}


def test_symbols_are_aggregated_independently():
    aggregator, es = make(("1m",))
    nq = aggregator.add_symbol("NQ", CME_GLOBEX)
    assert aggregator.add_symbol("ES") == es
    aggregator.on_trade(es, T0, 100, 1)
    aggregator.on_trade(nq, T0 + 5 * M, 200, 1)
    assert aggregator.take_closed() == []
    assert aggregator.on_trade(es, T0 + M, 101, 1) == 0
    assert [c.symbol for c in aggregator.take_closed()] == ["ES"]
    assert aggregator.index_of("NQ") == nq


def test_mark_published_suppresses_candles_up_to_that_open_time():
    aggregator, es = make(("1m",))
    aggregator.mark_published(es, "1m", T0 + M)
    for minute in range(4):
        aggregator.on_trade(es, T0 + minute * M, 100, 1)
    aggregator.flush()
    assert [c.open_time for c in aggregator.take_closed()] == [T0 + 2 * M, T0 + 3 * M]
    assert aggregator.last_emitted(es, "1m") == T0 + 3 * M


def test_a_snapshot_restores_the_last_emitted_open_times():
    aggregator, es = make()
    aggregator.on_trade(es, T0, 100, 1)
    aggregator.on_trade(es, T0 + HOUR, 100, 1)
    restored = Aggregator.from_snapshot(aggregator.snapshot())
    for timeframe in ("1m", "5m", "15m", "1h", "1d"):
        assert restored.last_emitted(es, timeframe) == aggregator.last_emitted(es, timeframe)
    assert restored.last_emitted(es, "1h") == T0 - 30 * M


def test_a_snapshot_for_other_timeframes_is_refused():
    aggregator, _ = make(("1m", "5m"))
    snapshot = aggregator.snapshot()
    snapshot["timeframes"] = ["1m"]
    with pytest.raises(ValueError, match="does not match"):
        Aggregator.from_snapshot(snapshot)


def test_a_trading_day_off_the_base_grid_is_refused():
    odd = TradingSession("odd", "America/Chicago", time(17, 5), time(16))
    aggregator = Aggregator(("15m", "1d"))
    index = aggregator.add_symbol("X", odd)
    with pytest.raises(ValueError, match="boundary"):
        aggregator.on_trade(index, T0, 100, 1)


def test_after_a_flush_later_trades_start_new_candles():
    aggregator, es = make(("1m",))
    aggregator.on_trade(es, T0, 100, 1)
    aggregator.flush()
    aggregator.flush()
    assert aggregator.on_trade(es, T0 + 30 * SECOND, 100, 1) == 1  # its minute is closed
    assert aggregator.on_trade(es, T0 + M, 100, 1) == 0
    assert len(aggregator.take_closed()) == 1
