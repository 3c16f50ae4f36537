"""Gap reports over stored candles: ranges, defaults and refusals."""

from __future__ import annotations

import pytest

from market_data_engine.gaps import Gap, GapReports, RangeTooLarge
from market_data_engine.queries import Catalog, UnknownSymbol, UnknownTimeframe
from shared.clock import FakeClock
from shared.instruments import InstrumentRegistry
from tests.unit.market_data_engine.queries.fakes import FakeCandleHistory
from tests.unit.market_data_engine.queries.support import MINUTE, T0, bars

DAY = 24 * 60 * MINUTE
NOW = T0 + 30 * DAY  # 2026-03-27 was a Friday


def reports(history: FakeCandleHistory) -> GapReports:
    catalog = Catalog(InstrumentRegistry.with_standard_futures())
    return GapReports(history, catalog, FakeClock(NOW))


async def test_a_hole_in_stored_candles_is_reported_with_its_count() -> None:
    history = FakeCandleHistory()
    candles = bars(120)
    history.add(*candles[:50], *candles[53:])
    report = await reports(history).report("ESZ6", "1m", T0, T0 + 120 * MINUTE)
    assert report.expected == 120  # 2026-02-25 06:00-08:00 UTC, in session
    assert report.missing == 3
    assert report.gaps == [Gap(T0 + 50 * MINUTE, T0 + 53 * MINUTE, 3)]


async def test_the_range_defaults_to_the_week_before_now() -> None:
    report = await reports(FakeCandleHistory()).report("ESZ6", "1h")
    assert (report.start_ns, report.end_ns) == (NOW - 7 * DAY, NOW)
    assert report.expected == report.missing == 5 * 23  # five sessions of 23 hours


async def test_too_many_intervals_are_refused() -> None:
    with pytest.raises(RangeTooLarge, match="narrow the range"):
        await reports(FakeCandleHistory()).report("ESZ6", "1m", 0, NOW)


async def test_unknown_symbols_and_timeframes_are_refused() -> None:
    with pytest.raises(UnknownSymbol):
        await reports(FakeCandleHistory()).report("NOPE", "1m")
    with pytest.raises(UnknownTimeframe):
        await reports(FakeCandleHistory()).report("ESZ6", "3m")
