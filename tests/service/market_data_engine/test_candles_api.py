"""``GET /api/v1/candles`` over fake stores: the answer's shape and clear problem details."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from market_data_engine.api import candles_router, gaps_router
from market_data_engine.api.schemas import CandlesPublic
from market_data_engine.gaps import GapReports
from market_data_engine.queries import CandleQueries, Catalog
from market_data_engine.settings import MarketDataEngineSettings
from shared.clock import FakeClock, ns_to_iso
from shared.instruments import InstrumentRegistry
from shared.service import create_app
from tests.support.asgi import serve_in_process
from tests.support.fake_resources import FakeResource
from tests.unit.market_data_engine.queries.fakes import FakeCandleCache, FakeCandleHistory
from tests.unit.market_data_engine.queries.support import MINUTE, T0, bar, bars

DEFAULT_TIMEFRAMES = "1m,5m,15m,1h,4h,1d"


@asynccontextmanager
async def engine_api(
    cache: FakeCandleCache | None,
    history: FakeCandleHistory | None,
    *,
    now_ns: int = 0,
    timeframes: str = DEFAULT_TIMEFRAMES,
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app serving the routers; None stores: the default wiring (unusable)."""
    config = MarketDataEngineSettings(
        _env_file=None,
        marketdata_timeframes=timeframes,
    )
    resources = [FakeResource("redis"), FakeResource("influxdb")]
    app = create_app(config, resources, title="engine", routers=(candles_router, gaps_router))
    if cache is not None and history is not None:
        catalog = Catalog(InstrumentRegistry.with_standard_futures(), config.timeframes)
        app.state.candle_queries = CandleQueries(cache, history, catalog)
        app.state.gap_reports = GapReports(history, catalog, FakeClock(now_ns))
    async with serve_in_process(app) as client:
        yield client


PROBLEM = "application/problem+json"


def stores(stored: int = 30, cached: int = 20) -> tuple[FakeCandleCache, FakeCandleHistory]:
    cache, history = FakeCandleCache(), FakeCandleHistory()
    candles = bars(stored)
    history.add(*candles)
    cache.add(*candles[stored - cached :])
    return cache, history


async def test_candles_come_oldest_first_with_decimal_strings_and_iso_times() -> None:
    async with engine_api(*stores()) as client:
        response = await client.get(
            "/api/v1/candles", params={"symbol": "ESZ6", "timeframe": "1m", "limit": 2}
        )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = CandlesPublic.model_validate_json(response.content)
    assert (body.count, body.source, body.symbol, body.timeframe) == (2, "cache", "ESZ6", "1m")
    first = body.data[0]
    assert first.open_time == ns_to_iso(T0 + 28 * MINUTE)
    assert first.close_time == ns_to_iso(T0 + 29 * MINUTE)
    assert (first.open, first.high, first.low, first.close) == (
        "5000.25",
        "5001.00",
        "4999.75",
        "5000.50",
    )
    assert (first.volume, first.trade_count, first.vwap, first.forming) == (
        "123",
        45,
        "5000.123457",
        False,
    )


async def test_a_range_in_iso_or_epoch_nanoseconds_reaches_back_into_influxdb() -> None:
    params = {
        "symbol": "ESZ6",
        "timeframe": "1m",
        "start": ns_to_iso(T0 + 5 * MINUTE),
        "end": str(T0 + 14 * MINUTE),
    }
    async with engine_api(*stores()) as client:
        body = (await client.get("/api/v1/candles", params=params)).json()
    assert body["count"] == 10
    assert body["source"] == "mixed"
    assert body["data"][0]["open_time"] == ns_to_iso(T0 + 5 * MINUTE)
    assert body["data"][-1]["open_time"] == ns_to_iso(T0 + 14 * MINUTE)


async def test_the_forming_candle_is_appended_on_request() -> None:
    cache, history = stores()
    cache.set_forming(bar(T0 + 30 * MINUTE, volume="2"))
    async with engine_api(cache, history) as client:
        params = {"symbol": "ESZ6", "timeframe": "1m", "limit": "3", "include_forming": "true"}
        body = (await client.get("/api/v1/candles", params=params)).json()
    assert [c["forming"] for c in body["data"]] == [False, False, True]
    assert body["data"][-1]["volume"] == "2"


async def test_an_unknown_symbol_is_a_404_naming_it_and_how_symbols_are_formed() -> None:
    async with engine_api(*stores()) as client:
        response = await client.get("/api/v1/candles", params={"symbol": "ZZZ9", "timeframe": "1m"})
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "urn:tickstream:problem:unknown-symbol"
    assert problem["symbol"] == "ZZZ9"
    assert "'ZZZ9'" in problem["detail"] and "ESZ6" in problem["detail"]
    assert problem["known_roots"] == ["CL", "ES", "GC", "MES", "MNQ", "NQ", "RTY", "YM"]
    assert problem["instance"] == "/api/v1/candles"


async def test_an_unknown_timeframe_is_a_422_listing_the_configured_ones() -> None:
    async with engine_api(*stores(), timeframes="1m,1h") as client:
        response = await client.get("/api/v1/candles", params={"symbol": "ESZ6", "timeframe": "5m"})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "urn:tickstream:problem:unknown-timeframe"
    assert problem["timeframes"] == ["1m", "1h"]
    assert "'5m'" in problem["detail"] and "1m, 1h" in problem["detail"]


async def test_the_default_wiring_knows_the_configured_timeframes() -> None:
    async with engine_api(None, None, timeframes="1m,4h") as client:
        response = await client.get("/api/v1/candles", params={"symbol": "ESZ6", "timeframe": "5m"})
    assert response.status_code == 422
    assert response.json()["timeframes"] == ["1m", "4h"]


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"start": "2026-02-02T00:00:00Z", "end": "2026-02-01T00:00:00Z"}, "is after end"),
        ({"start": "yesterday"}, "start: 'yesterday' is not a time"),
        ({"end": "2026-02-01T10:00:00"}, "end: '2026-02-01T10:00:00' has no time zone"),
    ],
)
async def test_a_bad_range_is_a_422_saying_what_is_wrong(
    params: dict[str, str], detail: str
) -> None:
    async with engine_api(*stores()) as client:
        response = await client.get(
            "/api/v1/candles", params={"symbol": "ESZ6", "timeframe": "1m", **params}
        )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "urn:tickstream:problem:bad-time-range"
    assert detail in response.json()["detail"]


@pytest.mark.parametrize("limit", ["0", "5001", "many"])
async def test_a_bad_limit_is_a_422_naming_the_limit(limit: str) -> None:
    async with engine_api(*stores()) as client:
        response = await client.get(
            "/api/v1/candles", params={"symbol": "ESZ6", "timeframe": "1m", "limit": limit}
        )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert [e["loc"] for e in response.json()["errors"]] == [["query", "limit"]]


async def test_symbol_and_timeframe_are_required() -> None:
    async with engine_api(*stores()) as client:
        response = await client.get("/api/v1/candles")
    assert response.status_code == 422
    assert sorted(e["loc"][1] for e in response.json()["errors"]) == ["symbol", "timeframe"]


async def test_the_routes_are_documented() -> None:
    async with engine_api(*stores()) as client:
        paths = (await client.get("/openapi.json")).json()["paths"]
    assert set(paths["/api/v1/candles"]["get"]["responses"]) >= {"200", "404", "422"}
    assert "/api/v1/gaps" in paths
