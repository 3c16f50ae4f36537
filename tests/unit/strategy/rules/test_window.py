"""The trading window: local hours in a time zone, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.strategy.candles import Candle
from shared.strategy.rules.ruleset import Window
from shared.strategy.rules.window import WindowClock
from tests.unit.strategy.rules.helpers import MINUTE, bar, orders, runner

CHICAGO = "America/Chicago"
DAY_SESSION = Window(time(8, 30), time(15), CHICAGO, (0, 1, 2, 3, 4))


def utc(month: int, day: int, hour: int, minute: int = 0) -> int:
    return int(datetime(2026, month, day, hour, minute, tzinfo=UTC).timestamp()) * 10**9


def test_before_the_spring_change_chicago_opens_at_14_30_utc() -> None:
    clock = WindowClock(DAY_SESSION)  # Friday 2026-03-06, CST = UTC-6
    assert [clock.inside(utc(3, 6, 14, 29)), clock.inside(utc(3, 6, 14, 30))] == [False, True]
    assert [clock.inside(utc(3, 6, 20, 59)), clock.inside(utc(3, 6, 21, 0))] == [True, False]


def test_after_the_spring_change_chicago_opens_at_13_30_utc() -> None:
    clock = WindowClock(DAY_SESSION)  # Monday 2026-03-09, CDT = UTC-5
    assert [clock.inside(utc(3, 9, 13, 29)), clock.inside(utc(3, 9, 13, 30))] == [False, True]
    assert [clock.inside(utc(3, 9, 19, 59)), clock.inside(utc(3, 9, 20, 0))] == [True, False]


def test_after_the_autumn_change_chicago_opens_at_14_30_utc_again() -> None:
    clock = WindowClock(DAY_SESSION)
    assert clock.inside(utc(10, 30, 13, 30))  # Friday, CDT
    assert not clock.inside(utc(11, 2, 13, 30))  # Monday, CST: 07:30 local
    assert clock.inside(utc(11, 2, 14, 30))


def test_days_outside_the_list_are_closed() -> None:
    clock = WindowClock(DAY_SESSION)
    assert not clock.inside(utc(3, 7, 15, 0))  # Saturday 09:00 local
    assert not clock.inside(utc(3, 8, 15, 0))  # Sunday


def test_an_overnight_window_runs_into_the_next_day_across_the_change() -> None:
    # opens Saturday 17:00 CST (23:00 UTC), closes Sunday 08:00 CDT (13:00 UTC)
    clock = WindowClock(Window(time(17), time(8), CHICAGO, (5,)))
    assert [clock.inside(utc(3, 7, 22, 59)), clock.inside(utc(3, 7, 23, 0))] == [False, True]
    assert [clock.inside(utc(3, 8, 12, 59)), clock.inside(utc(3, 8, 13, 0))] == [True, False]
    assert not clock.inside(utc(3, 8, 22, 0))  # Sunday 17:00: not a listed day


def test_answers_do_not_depend_on_the_order_of_the_questions() -> None:
    instants = [
        utc(3, day, hour, minute)
        for day in (6, 7, 8, 9)
        for hour in (13, 14, 20)
        for minute in (0, 29, 30, 59)
    ]
    forward = [WindowClock(DAY_SESSION).inside(t) for t in instants]
    clock = WindowClock(DAY_SESSION)
    backward = [clock.inside(t) for t in reversed(instants)]
    assert forward == backward[::-1]
    assert any(forward)
    assert not all(forward)


def brute_force(window: Window, ts_ns: int) -> bool:
    local = datetime.fromtimestamp(ts_ns // 10**9, ZoneInfo(window.timezone))
    now, weekday = local.time(), local.weekday()
    if window.end > window.start:
        return window.start <= now < window.end and weekday in window.days
    return (now >= window.start and weekday in window.days) or (
        now < window.end and (weekday - 1) % 7 in window.days
    )


# hours away from 01:00-03:59, where DST changes make local times skip or repeat
CLOCK_TIMES = st.builds(time, st.sampled_from([0, *range(4, 24)]), st.integers(0, 59))


@settings(max_examples=200, deadline=None)
@given(
    start=CLOCK_TIMES,
    end=CLOCK_TIMES,
    zone=st.sampled_from([CHICAGO, "America/New_York", "Europe/London", "UTC", "Asia/Tokyo"]),
    days=st.sets(st.integers(0, 6), min_size=1),
    minutes=st.lists(st.integers(0, 366 * 24 * 60), min_size=1, max_size=30),
)
def test_the_cached_clock_agrees_with_local_time(
    start: time, end: time, zone: str, days: set[int], minutes: list[int]
) -> None:
    if start == end:
        return
    window = Window(start, end, zone, tuple(sorted(days)))
    clock = WindowClock(window)
    for minute in minutes:
        ts = utc(1, 1, 0) + minute * MINUTE
        assert clock.inside(ts) == brute_force(window, ts)


WINDOW = {"start": "08:30", "end": "15:00", "timezone": CHICAGO, "flatten": True}
ALWAYS_LONG = [{"when": {">": ["close", 0]}, "then": {"do": "enter_long", "quantity": 1}}]


def minute_bars(first_close: int, count: int) -> list[Candle]:
    return [bar(i, 100, start=first_close - MINUTE) for i in range(count)]


def test_entries_wait_for_the_window_and_a_position_is_flattened_at_its_end() -> None:
    run = runner({"window": WINDOW, "rules": ALWAYS_LONG})
    sent = []
    # Monday 2026-03-09 (CDT): bars closing 13:28..13:31 UTC and 19:58..20:01 UTC
    for candle in [*minute_bars(utc(3, 9, 13, 28), 4), *minute_bars(utc(3, 9, 19, 58), 4)]:
        local = datetime.fromtimestamp(candle.close_time // 10**9, ZoneInfo(CHICAGO))
        sent += [
            (local.strftime("%H:%M"), o.side.value, o.reduce_only, o.tag)
            for o in orders(run.on_bar(candle))
        ]
    assert sent == [("08:30", "BUY", False, "rules[0]"), ("15:00", "SELL", True, "window end")]


def test_without_flatten_a_position_is_kept_and_exits_still_act_outside_the_window() -> None:
    window = {**WINDOW, "flatten": False}
    rules = [*ALWAYS_LONG, {"when": {">": ["close", 100]}, "then": {"do": "exit"}}]
    run = runner({"window": window, "rules": rules})
    inside = minute_bars(utc(3, 9, 19, 58), 4)
    after = [c._replace(close=101.0) for c in minute_bars(utc(3, 9, 20, 5), 2)]
    sent = [(o.side.value, o.reduce_only) for c in [*inside, *after] for o in orders(run.on_bar(c))]
    # the exit rule matches at 100 < close only after the window: no flatten at 15:00
    assert sent == [("BUY", False), ("SELL", True)]
