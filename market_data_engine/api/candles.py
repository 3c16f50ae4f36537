"""``GET /api/v1/candles``: the newest candles of a symbol, timeframe and time range."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from market_data_engine.api.problems import (
    check_order,
    time_param,
    unknown_symbol,
    unknown_timeframe,
)
from market_data_engine.api.schemas import CandlesPublic
from market_data_engine.api.wiring import Queries
from market_data_engine.queries import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    CandleQuery,
    UnknownSymbol,
    UnknownTimeframe,
)
from shared.service.problems import PROBLEM_JSON

PROBLEM: dict[str, Any] = {"content": {PROBLEM_JSON: {}}}
TIME_HELP = "ISO 8601 with Z or an offset, a date (UTC), or epoch nanoseconds"

router = APIRouter(prefix="/api/v1", tags=["candles"])


@router.get(
    "/candles",
    response_model=CandlesPublic,
    summary="Candles of a symbol and timeframe",
    responses={404: {"description": "Unknown symbol", **PROBLEM}, 422: PROBLEM},
)
async def candles(
    *,
    queries: Queries,
    symbol: Annotated[str, Query(description="Instrument or contract symbol, e.g. ESZ6")],
    timeframe: Annotated[str, Query(description="A configured timeframe, e.g. 5m")],
    start: Annotated[str | None, Query(description=f"Earliest open time: {TIME_HELP}")] = None,
    end: Annotated[str | None, Query(description=f"Latest open time: {TIME_HELP}")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    include_forming: Annotated[
        bool, Query(description="Append the candle still forming (it counts toward limit)")
    ] = False,
) -> Response:
    """The newest ``limit`` candles opening in [start, end], oldest first.

    Served from Redis when the cached newest candles cover the range, from InfluxDB
    otherwise (``source`` says which, ``mixed`` when both).
    """
    start_ns, end_ns = time_param("start", start), time_param("end", end)
    check_order(start_ns, end_ns, start, end)
    query = CandleQuery(symbol, timeframe, start_ns, end_ns, limit, include_forming)
    try:
        page = await queries.page(query)
    except UnknownSymbol as exc:
        raise unknown_symbol(exc, queries.catalog) from None
    except UnknownTimeframe as exc:
        raise unknown_timeframe(exc) from None
    return Response(page.to_json(), media_type="application/json")
