"""Gap computation: missing intervals inside sessions, DST days, breaks and weekends."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from market_data_engine.domain.timeframes import parse_timeframe
from market_data_engine.gaps import Gap, find_gaps, in_session, intervals, session_windows
from shared.clock import datetime_to_ns
from shared.instruments import CME_GLOBEX, TradingSession

HOUR = 3_600_000_000_000
MINUTE = 60_000_000_000
CHICAGO = ZoneInfo("America/Chicago")
XETRA = TradingSession("Xetra", "Europe/Berlin", time(9), time(17, 30))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return datetime_to_ns(datetime(year, month, day, hour, minute, tzinfo=UTC))


def chicago(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return datetime_to_ns(datetime(year, month, day, hour, minute, tzinfo=CHICAGO))


def gaps_of(
    timeframe: str, session: TradingSession | None, start: int, end: int, present: list[int]
) -> tuple[int, list[Gap]]:
    opens, closes = intervals(parse_timeframe(timeframe), session, start, end)
    expected = in_session(opens, closes, *session_windows(session, start, end))
    counted = find_gaps(opens, closes, expected, np.array(present, np.int64))
    return counted.expected, counted.gaps


@given(
    st.integers(utc(2024, 1, 1), utc(2025, 1, 1)),
    st.sampled_from([CME_GLOBEX, XETRA]),
)
def test_session_windows_agree_with_is_open(ts: int, session: TradingSession) -> None:
    opens, closes = session_windows(session, ts - 3 * HOUR, ts + 3 * HOUR)
    inside = bool(np.any((opens <= ts) & (ts < closes)))
    assert inside == session.is_open(ts)


def test_a_full_trading_day_of_candles_has_no_gap() -> None:
    start, end = chicago(2024, 3, 6, 17), chicago(2024, 3, 7, 16)  # Thursday's session
    opens, _ = intervals(parse_timeframe("1m"), CME_GLOBEX, start, end)
    expected, gaps = gaps_of("1m", CME_GLOBEX, start, end, opens.tolist())
    assert expected == 23 * 60
    assert gaps == []


def test_missing_minutes_merge_into_one_gap_with_their_count() -> None:
    start, end = chicago(2024, 3, 6, 17), chicago(2024, 3, 7, 16)
    opens, _ = intervals(parse_timeframe("1m"), CME_GLOBEX, start, end)
    hole = (opens >= chicago(2024, 3, 7, 9, 30)) & (opens < chicago(2024, 3, 7, 9, 45))
    _, gaps = gaps_of("1m", CME_GLOBEX, start, end, opens[~hole].tolist())
    assert gaps == [Gap(chicago(2024, 3, 7, 9, 30), chicago(2024, 3, 7, 9, 45), 15)]


def test_the_daily_break_and_the_weekend_are_not_gaps() -> None:
    start, end = chicago(2024, 3, 7, 15), chicago(2024, 3, 11, 18)  # Thursday to Monday
    expected, gaps = gaps_of("1h", CME_GLOBEX, start, end, [])
    # Thu 15-16, Thu 17 - Fri 16 (23 h), Sun 17 - Mon 16 (23 h), Mon 17-18
    assert expected == 1 + 23 + 23 + 1
    assert gaps == [
        Gap(chicago(2024, 3, 7, 15), chicago(2024, 3, 7, 16), 1),
        Gap(chicago(2024, 3, 7, 17), chicago(2024, 3, 8, 16), 23),
        Gap(chicago(2024, 3, 10, 17), chicago(2024, 3, 11, 16), 23),
        Gap(chicago(2024, 3, 11, 17), chicago(2024, 3, 11, 18), 1),
    ]


@pytest.mark.parametrize(
    ("friday", "sunday_open_utc"),
    [((2024, 3, 8), utc(2024, 3, 10, 22)), ((2024, 11, 1), utc(2024, 11, 3, 23))],
    ids=["spring-forward", "fall-back"],
)
def test_sessions_follow_chicago_time_across_daylight_saving(
    friday: tuple[int, int, int], sunday_open_utc: int
) -> None:
    start = chicago(*friday, 15)
    _, gaps = gaps_of("1h", CME_GLOBEX, start, sunday_open_utc + 2 * HOUR, [])
    assert gaps[0] == Gap(start, chicago(*friday, 16), 1)
    assert gaps[1] == Gap(sunday_open_utc, sunday_open_utc + 2 * HOUR, 2)


def test_an_interval_the_session_touches_only_partly_is_expected() -> None:
    # 4h candles are UTC-aligned: 20:00-24:00 UTC holds the break (21:00-22:00 UTC in summer).
    start, end = utc(2024, 6, 5, 20), utc(2024, 6, 6, 0)
    expected, gaps = gaps_of("4h", CME_GLOBEX, start, end, [])
    assert expected == 1
    assert gaps == [Gap(start, end, 1)]


def test_a_break_separates_gaps_even_when_both_sides_are_missing() -> None:
    start, end = chicago(2024, 3, 7, 15, 58), chicago(2024, 3, 7, 17, 2)
    _, gaps = gaps_of("1m", CME_GLOBEX, start, end, [])
    assert gaps == [
        Gap(chicago(2024, 3, 7, 15, 58), chicago(2024, 3, 7, 16), 2),
        Gap(chicago(2024, 3, 7, 17), chicago(2024, 3, 7, 17, 2), 2),
    ]


def test_daily_candles_follow_the_session_day_of_23_and_25_hours() -> None:
    spring = intervals(parse_timeframe("1d"), CME_GLOBEX, utc(2024, 3, 9), utc(2024, 3, 13))
    assert (spring[1] - spring[0]).tolist() == [23 * HOUR, 24 * HOUR, 24 * HOUR]
    autumn = intervals(parse_timeframe("1d"), CME_GLOBEX, utc(2024, 11, 2), utc(2024, 11, 6))
    assert (autumn[1] - autumn[0]).tolist() == [25 * HOUR, 24 * HOUR, 24 * HOUR]


def test_daily_gaps_skip_the_weekend_days() -> None:
    start, end = chicago(2024, 3, 6, 17), chicago(2024, 3, 12, 17)  # Thu .. Tue session days
    opens, _ = intervals(parse_timeframe("1d"), CME_GLOBEX, start, end)
    expected, gaps = gaps_of("1d", CME_GLOBEX, start, end, [int(opens[0])])
    assert expected == 4  # Thursday, Friday, Monday, Tuesday
    assert gaps == [
        Gap(chicago(2024, 3, 7, 17), chicago(2024, 3, 8, 17), 1),
        Gap(chicago(2024, 3, 10, 17), chicago(2024, 3, 12, 17), 2),
    ]


def test_only_whole_intervals_inside_the_range_count() -> None:
    opens, closes = intervals(
        parse_timeframe("5m"), None, utc(2024, 1, 1, 0, 1), utc(2024, 1, 1, 0, 21)
    )
    assert opens.tolist() == [utc(2024, 1, 1, 0, m) for m in (5, 10, 15)]
    assert closes.tolist() == [utc(2024, 1, 1, 0, m) for m in (10, 15, 20)]


def test_an_instrument_without_session_expects_every_interval() -> None:
    start = utc(2024, 3, 9)  # a Saturday
    expected, gaps = gaps_of("1h", None, start, start + 3 * HOUR, [start + HOUR])
    assert expected == 3
    assert gaps == [Gap(start, start + HOUR, 1), Gap(start + 2 * HOUR, start + 3 * HOUR, 1)]


def test_an_empty_range_has_nothing_to_miss() -> None:
    assert gaps_of("1m", CME_GLOBEX, utc(2024, 3, 7), utc(2024, 3, 7), []) == (0, [])
    assert gaps_of("1m", CME_GLOBEX, utc(2024, 3, 7), utc(2024, 3, 7) + MINUTE - 1, []) == (0, [])
