"""What the routers need, found on the app: set ``app.state.candle_queries`` (and
``gap_reports``) to replace them, e.g. with fakes in tests.

By default they are built on first use from the app's ``redis`` and ``influxdb`` resources,
``app.state.instruments`` (else the standard futures) and the settings' ``timeframes`` (else
the defaults).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from market_data_engine.domain.timeframes import DEFAULT_TIMEFRAMES
from market_data_engine.gaps import GapReports, InfluxOpenTimes
from market_data_engine.queries import CandleQueries, Catalog, InfluxCandles, RedisCandles
from shared.clock import Clock, SystemClock
from shared.instruments import InstrumentRegistry


def catalog_of(state: Any) -> Catalog:
    """The app's catalog of instruments and timeframes (made once)."""
    catalog: Catalog | None = getattr(state, "candle_catalog", None)
    if catalog is None:
        instruments = getattr(state, "instruments", None)
        timeframes = getattr(state.settings, "timeframes", DEFAULT_TIMEFRAMES)
        registry = instruments or InstrumentRegistry.with_standard_futures()
        catalog = state.candle_catalog = Catalog(registry, timeframes)
    return catalog


async def _candle_queries(request: Request) -> CandleQueries:
    state = request.app.state
    queries: CandleQueries | None = getattr(state, "candle_queries", None)
    if queries is None:
        resources = state.resources
        queries = state.candle_queries = CandleQueries(
            RedisCandles(resources["redis"]),
            InfluxCandles(resources["influxdb"]),
            catalog_of(state),
        )
    return queries


async def _gap_reports(request: Request) -> GapReports:
    state = request.app.state
    reports: GapReports | None = getattr(state, "gap_reports", None)
    if reports is None:
        clock: Clock = getattr(state, "clock", None) or SystemClock()
        reports = state.gap_reports = GapReports(
            InfluxOpenTimes(state.resources["influxdb"]), catalog_of(state), clock
        )
    return reports


# Async, so FastAPI calls them in the event loop, not in a worker thread (a hand-off costing
# more than the hot candle query itself).
Queries = Annotated[CandleQueries, Depends(_candle_queries)]
Reports = Annotated[GapReports, Depends(_gap_reports)]
