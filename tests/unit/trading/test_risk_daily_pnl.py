import uuid
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.clock import datetime_to_ns
from shared.trading.daily_pnl import DailyPnl, TradingDays, day_of

CHICAGO = ZoneInfo("America/Chicago")
SCOPE = (uuid.UUID(int=1), None)
STRATEGY_SCOPE = (uuid.UUID(int=1), uuid.UUID(int=3))
SECOND = 1_000_000_000


def at(zone: tzinfo, *parts: int) -> int:
    year, month, day, *rest = parts
    hour, minute, second = (*rest, 0, 0, 0)[:3]
    return datetime_to_ns(datetime(year, month, day, hour, minute, second, tzinfo=zone))


def utc(*parts: int) -> int:
    return at(UTC, *parts)


def chicago(*parts: int) -> int:
    return at(CHICAGO, *parts)


def test_seventeen_hundred_chicago_starts_the_next_trading_day():
    assert day_of(chicago(2026, 1, 13, 16, 59, 59)) == date(2026, 1, 13)
    assert day_of(chicago(2026, 1, 13, 17, 0)) == date(2026, 1, 14)
    assert day_of(chicago(2026, 1, 13, 17, 0) - 1) == date(2026, 1, 13)
    assert day_of(chicago(2026, 1, 13, 23, 59)) == date(2026, 1, 14)
    assert day_of(chicago(2026, 1, 14, 0, 30)) == date(2026, 1, 14)


def test_realized_accumulates_within_a_day_and_per_scope():
    pnl = DailyPnl()
    noon = chicago(2026, 1, 13, 12, 0)
    pnl.add_realized(SCOPE, Decimal("-100"), noon)
    total = pnl.add_realized(SCOPE, Decimal("40.50"), noon + 60 * SECOND)
    pnl.add_realized(STRATEGY_SCOPE, Decimal(7), noon)

    assert total == Decimal("-59.50")
    assert pnl.realized_today(SCOPE, noon + 3600 * SECOND) == Decimal("-59.50")
    assert pnl.realized_today(STRATEGY_SCOPE, noon) == 7
    assert pnl.realized_today((uuid.UUID(int=9), None), noon) == 0


def test_daily_pnl_resets_at_five_pm_chicago_in_winter():
    pnl = DailyPnl()
    pnl.add_realized(SCOPE, Decimal(-500), utc(2026, 3, 2, 15, 0))  # Monday 09:00 CST

    assert pnl.realized_today(SCOPE, utc(2026, 3, 2, 22, 30)) == -500  # 16:30 CST
    assert pnl.realized_today(SCOPE, utc(2026, 3, 2, 23, 0)) == 0  # 17:00 CST


def test_daily_pnl_resets_an_hour_earlier_in_utc_after_the_spring_change():
    # Clocks went forward on Sunday 8 March 2026: 17:00 Chicago is now 22:00 UTC.
    pnl = DailyPnl()
    pnl.add_realized(SCOPE, Decimal(-500), utc(2026, 3, 9, 14, 0))  # Monday 09:00 CDT

    assert pnl.realized_today(SCOPE, utc(2026, 3, 9, 21, 59, 59)) == -500
    assert pnl.realized_today(SCOPE, utc(2026, 3, 9, 22, 0)) == 0
    late = pnl.add_realized(SCOPE, Decimal(30), utc(2026, 3, 9, 22, 30))
    assert late == 30  # the new day starts from zero


def test_the_session_across_the_spring_change_is_one_trading_day():
    days = TradingDays()
    sunday_open = chicago(2026, 3, 8, 17, 0)  # CDT, the first evening after the change

    assert days.day_of(sunday_open) == date(2026, 3, 9)
    assert days.day_of(sunday_open - 1) == date(2026, 3, 8)
    assert days.start_ns(date(2026, 3, 9)) == utc(2026, 3, 8, 22, 0)
    assert days.start_ns(date(2026, 3, 7)) == utc(2026, 3, 6, 23, 0)  # Friday, still CST


def test_daily_pnl_resets_at_five_pm_chicago_after_the_autumn_change():
    # Clocks went back on Sunday 1 November 2026: 17:00 Chicago is 23:00 UTC again.
    pnl = DailyPnl()
    pnl.add_realized(SCOPE, Decimal(-250), utc(2026, 11, 2, 16, 0))

    assert pnl.realized_today(SCOPE, utc(2026, 11, 2, 22, 30)) == -250
    assert pnl.realized_today(SCOPE, utc(2026, 11, 2, 23, 0)) == 0


def test_realized_of_an_earlier_day_is_not_today():
    pnl = DailyPnl()
    pnl.restore(SCOPE, date(2026, 1, 13), Decimal(-80))

    assert pnl.realized_today(SCOPE, chicago(2026, 1, 13, 10, 0)) == -80
    assert pnl.realized_today(SCOPE, chicago(2026, 1, 14, 10, 0)) == 0


START = utc(2026, 1, 1)
YEAR = 366 * 86_400 * SECOND


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.lists(st.integers(0, YEAR), min_size=1, max_size=30))
def test_cached_trading_days_agree_with_the_plain_function(offsets):
    days = TradingDays()
    for offset in offsets:
        ts = START + offset
        assert days.day_of(ts) == day_of(ts)
        assert days(ts + 1) == day_of(ts + 1)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.dates(date(2026, 1, 2), date(2027, 12, 31)))
def test_a_trading_day_starts_at_the_boundary_of_the_day_before(day):
    days = TradingDays()
    start = days.start_ns(day)

    assert day_of(start) == day
    assert day_of(start - 1) == day - timedelta(days=1)
    local = datetime.fromtimestamp(start // SECOND, tz=CHICAGO)
    assert (local.hour, local.minute, local.date()) == (17, 0, day - timedelta(days=1))
