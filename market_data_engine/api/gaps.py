"""``GET /api/v1/gaps``: intervals without a candle while the instrument's session was open."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from market_data_engine.api.candles import PROBLEM, TIME_HELP
from market_data_engine.api.problems import (
    bad_range,
    check_order,
    time_param,
    unknown_symbol,
    unknown_timeframe,
)
from market_data_engine.api.schemas import GapPublic, GapsPublic
from market_data_engine.api.wiring import Reports
from market_data_engine.gaps import GapReport, RangeTooLarge
from market_data_engine.queries import UnknownSymbol, UnknownTimeframe, iso

router = APIRouter(prefix="/api/v1", tags=["candles"])


def gaps_public(report: GapReport) -> GapsPublic:
    """A report in its public shape."""
    data = [
        GapPublic(start=iso(g.start_ns), end=iso(g.end_ns), missing=g.missing) for g in report.gaps
    ]
    return GapsPublic(
        symbol=report.symbol,
        timeframe=report.timeframe,
        start=iso(report.start_ns),
        end=iso(report.end_ns),
        expected=report.expected,
        missing=report.missing,
        data=data,
        count=len(data),
    )


@router.get(
    "/gaps",
    response_model=GapsPublic,
    summary="Missing candles inside trading sessions",
    responses={404: {"description": "Unknown symbol", **PROBLEM}, 422: PROBLEM},
)
async def gaps(
    *,
    reports: Reports,
    symbol: Annotated[str, Query(description="Instrument or contract symbol, e.g. ESZ6")],
    timeframe: Annotated[str, Query(description="A configured timeframe, e.g. 1m")],
    start: Annotated[str | None, Query(description=f"Default: end - 7 days. {TIME_HELP}")] = None,
    end: Annotated[str | None, Query(description=f"Exclusive; default: now. {TIME_HELP}")] = None,
) -> GapsPublic:
    """Intervals of [start, end) in which the session was open (even partly) but no candle
    was stored, consecutive ones merged. The CME daily break and weekends are not gaps;
    exchange holidays are (there is no holiday calendar).
    """
    start_ns, end_ns = time_param("start", start), time_param("end", end)
    check_order(start_ns, end_ns, start, end)
    try:
        report = await reports.report(symbol, timeframe, start_ns, end_ns)
    except UnknownSymbol as exc:
        raise unknown_symbol(exc, reports.catalog) from None
    except UnknownTimeframe as exc:
        raise unknown_timeframe(exc) from None
    except RangeTooLarge as exc:
        raise bad_range(str(exc)) from None
    except ValueError as exc:  # a given start after the default end, or the reverse
        raise bad_range(f"{exc} (end defaults to now, start to 7 days before end)") from None
    return gaps_public(report)
