"""Trading-day bounds for daily candles, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfoNotFoundError

import pytest

from market_data_engine.domain.trading_day import DayBoundary
from shared.clock import datetime_to_ns
from shared.instruments import CME_GLOBEX, TradingSession
from tests.unit.market_data_engine.streams import HOUR, chicago

CME = DayBoundary.for_session(CME_GLOBEX)


def test_cme_days_roll_at_the_17_00_chicago_open():
    assert DayBoundary("America/Chicago", time(17)) == CME
    assert CME.bounds(chicago(2025, 1, 7, 16, 59)) == (
        chicago(2025, 1, 6, 17),
        chicago(2025, 1, 7, 17),
    )
    assert CME.bounds(chicago(2025, 1, 7, 17))[0] == chicago(2025, 1, 7, 17)
    assert CME.bounds(chicago(2025, 1, 7, 17) - 1)[1] == chicago(2025, 1, 7, 17)


@pytest.mark.parametrize(
    ("inside", "hours"),
    [
        (chicago(2024, 3, 10, 1, 30), 23),
        (chicago(2024, 3, 10, 3, 30), 23),
        (chicago(2024, 11, 3, 1, 30), 25),
        (chicago(2024, 11, 3, 1, 30) + HOUR, 25),  # the second 01:30, after clocks go back
        (chicago(2024, 7, 3, 12), 24),
    ],
)
def test_a_day_spanning_a_daylight_saving_change_is_shorter_or_longer(inside, hours):
    start, end = CME.bounds(inside)
    assert start <= inside < end
    assert end - start == hours * HOUR


def test_without_a_session_days_are_utc_days():
    day = DayBoundary.for_session(None)
    ts = datetime_to_ns(datetime(2025, 1, 7, 23, 59, tzinfo=UTC))
    midnight = datetime_to_ns(datetime(2025, 1, 7, tzinfo=UTC))
    assert day.bounds(ts) == (midnight, midnight + 24 * HOUR)


def test_a_day_session_rolls_at_local_midnight():
    cash = TradingSession("NYSE", "America/New_York", time(9, 30), time(16))
    day = DayBoundary.for_session(cash)
    assert day == DayBoundary("America/New_York", time(0))


def test_an_unknown_time_zone_is_refused_up_front():
    with pytest.raises(ZoneInfoNotFoundError):
        DayBoundary("Nowhere/Land")


def test_starts_between_lists_every_day_open_in_the_range():
    starts = CME.starts_between(chicago(2024, 3, 8, 12), chicago(2024, 3, 11, 17))
    assert starts == [
        chicago(2024, 3, 7, 17),
        chicago(2024, 3, 8, 17),
        chicago(2024, 3, 9, 17),
        chicago(2024, 3, 10, 17),
        chicago(2024, 3, 11, 17),
    ]
