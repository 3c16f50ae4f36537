"""``GET /api/v1/gaps`` over fake stores: gaps as ranges, and problem details."""

from __future__ import annotations

from market_data_engine.api.schemas import GapsPublic
from shared.clock import ns_to_iso
from tests.service.market_data_engine.test_candles_api import engine_api
from tests.unit.market_data_engine.queries.fakes import FakeCandleCache, FakeCandleHistory
from tests.unit.market_data_engine.queries.support import MINUTE, T0, bars

DAY = 24 * 60 * MINUTE


def history_with_hole() -> FakeCandleHistory:
    history = FakeCandleHistory()
    candles = bars(60)
    history.add(*candles[:10], *candles[14:])
    return history


async def test_missing_candles_come_as_ranges_with_counts() -> None:
    params = {
        "symbol": "ESZ6",
        "timeframe": "1m",
        "start": ns_to_iso(T0),
        "end": ns_to_iso(T0 + 60 * MINUTE),
    }
    async with engine_api(FakeCandleCache(), history_with_hole()) as client:
        response = await client.get("/api/v1/gaps", params=params)
    assert response.status_code == 200
    report = GapsPublic.model_validate_json(response.content)
    assert (report.expected, report.missing, report.count) == (60, 4, 1)
    gap = report.data[0]
    assert (gap.start, gap.end, gap.missing) == (
        ns_to_iso(T0 + 10 * MINUTE),
        ns_to_iso(T0 + 14 * MINUTE),
        4,
    )


async def test_the_range_defaults_to_the_week_before_now() -> None:
    now = T0 + 60 * MINUTE
    async with engine_api(FakeCandleCache(), history_with_hole(), now_ns=now) as client:
        body = (
            await client.get("/api/v1/gaps", params={"symbol": "ESZ6", "timeframe": "1d"})
        ).json()
    assert (body["start"], body["end"]) == (ns_to_iso(now - 7 * DAY), ns_to_iso(now))


async def test_unknown_symbol_and_timeframe_and_huge_ranges_are_problems() -> None:
    async with engine_api(FakeCandleCache(), history_with_hole()) as client:
        symbol = await client.get("/api/v1/gaps", params={"symbol": "XX", "timeframe": "1m"})
        timeframe = await client.get("/api/v1/gaps", params={"symbol": "ES", "timeframe": "2m"})
        huge = await client.get(
            "/api/v1/gaps",
            params={"symbol": "ES", "timeframe": "1m", "start": "2000-01-01", "end": "2026-01-01"},
        )
        empty = await client.get(
            "/api/v1/gaps", params={"symbol": "ES", "timeframe": "1m", "start": "0", "end": "0"}
        )
    assert (symbol.status_code, symbol.json()["type"]) == (
        404,
        "urn:tickstream:problem:unknown-symbol",
    )
    assert (timeframe.status_code, timeframe.json()["type"]) == (
        422,
        "urn:tickstream:problem:unknown-timeframe",
    )
    assert huge.status_code == 422 and "narrow the range" in huge.json()["detail"]
    assert empty.status_code == 200 and empty.json()["expected"] == 0
    assert all(
        r.headers["content-type"] == "application/problem+json" for r in (symbol, timeframe, huge)
    )
