"""The candle query API against real Redis and InfluxDB, candles stored as the live writer does."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

import httpx
import pytest

from market_data_engine.api import candles_router, gaps_router
from market_data_engine.backfill import warm_cache
from market_data_engine.domain.candles import Candle, Scale
from market_data_engine.pipeline.outputs import Outputs, influx_lines, redis_commands
from market_data_engine.queries import Catalog, InfluxCandles
from market_data_engine.settings import MarketDataEngineSettings
from shared.cache import Cache
from shared.clock import ns_to_iso
from shared.instruments import InstrumentRegistry
from shared.messages.schemas.marketdata import Bar
from shared.service import create_app
from shared.tsdb import InfluxDB
from tests.infra import Endpoints
from tests.support.asgi import serve_in_process, wait_for_ready_status

pytestmark = pytest.mark.integration

MINUTE = 60_000_000_000
T0 = 1_772_000_000 * 1_000_000_000 // MINUTE * MINUTE
STORED = 2500  # the cache keeps the newest 2000 (CACHE_DEPTH)
ES = Scale(Decimal("0.25"))


def engine_bars(count: int, seed: int = 7) -> list[Bar]:
    """Closed 1m candles as the engine makes them: random ticks, exact VWAP."""
    rng = random.Random(seed)
    bars, price = [], 20_000
    for i in range(count):
        path = [price := price + rng.randint(-3, 3) for _ in range(4)]
        volume = rng.randint(1, 400)
        turnover = rng.randint(min(path) * volume, max(path) * volume)
        start = T0 + i * MINUTE
        candle = Candle("ESZ6", "1m", start, start + MINUTE, path[0], max(path), min(path),
                        path[-1], volume, rng.randint(1, 60), turnover)  # fmt: skip
        bars.append(ES.bar(candle))
    return bars


def public(bar: Bar, *, forming: bool = False) -> dict[str, Any]:
    """The candle as the API must give it, worked out from the Bar."""
    assert bar.vwap is not None
    return {
        "open_time": ns_to_iso(bar.open_time),
        "close_time": ns_to_iso(bar.close_time),
        **{
            k: str(getattr(bar, k).quantize(Decimal("0.01")))
            for k in ("open", "high", "low", "close")
        },
        "volume": str(bar.volume),
        "trade_count": bar.trade_count,
        "vwap": str(bar.vwap.quantize(Decimal("0.000001"))),
        "forming": forming,
    }


@pytest.fixture
async def stores(
    infra: Endpoints, unique: Callable[[str], str]
) -> AsyncIterator[tuple[Cache, InfluxDB]]:
    cache = Cache(infra.redis_url, prefix=unique("candles"))
    influx = InfluxDB(infra.influx_url, unique("candles"))
    await cache.start()
    await influx.start()
    await influx.create_database()
    yield cache, influx
    await cache.start()  # the app closes its resources when it stops
    await influx.start()
    keys = [key async for key in cache.client.scan_iter(match=f"{cache.prefix}:*")]
    if keys:
        await cache.client.delete(*keys)
    await influx.drop_database(influx.database)
    await cache.close()
    await influx.close()


async def write_like_the_engine(
    cache: Cache, influx: InfluxDB, bars: list[Bar], forming: Bar | None = None
) -> None:
    await influx.write_lines(influx_lines(bars))
    outputs = Outputs(bars=bars, forming=[("ESZ6", "1m", forming)] if forming else [])
    async with cache.client.pipeline(transaction=True) as pipe:
        for command in redis_commands(outputs, cache.key, {"1m": 120_000}):
            pipe.execute_command(*command)
        await pipe.execute()


@asynccontextmanager
async def api(cache: Cache, influx: InfluxDB) -> AsyncIterator[httpx.AsyncClient]:
    settings = MarketDataEngineSettings(_env_file=None, dependency_check_interval_s=0.05)
    app = create_app(
        settings, [cache, influx], title="engine", routers=(candles_router, gaps_router)
    )
    async with serve_in_process(app) as client:
        await wait_for_ready_status(client, 200)
        yield client


async def candles(client: httpx.AsyncClient, **params: str) -> dict[str, Any]:
    response = await client.get(
        "/api/v1/candles", params={"symbol": "ESZ6", "timeframe": "1m", **params}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_newest_candles_come_from_redis(stores: tuple[Cache, InfluxDB]) -> None:
    bars = engine_bars(STORED)
    await write_like_the_engine(*stores, bars)
    async with api(*stores) as client:
        body = await candles(client, limit="500")
    assert body["source"] == "cache"
    assert body["data"] == [public(b) for b in bars[-500:]]


async def test_candles_older_than_the_cache_come_from_influxdb_exactly(
    stores: tuple[Cache, InfluxDB],
) -> None:
    bars = engine_bars(STORED)
    await write_like_the_engine(*stores, bars)
    async with api(*stores) as client:
        old = await candles(
            client, start=ns_to_iso(bars[100].open_time), end=str(bars[299].open_time)
        )
        across = await candles(
            client, start=ns_to_iso(bars[400].open_time), end=ns_to_iso(bars[599].open_time)
        )
    assert old["source"] == "influxdb"
    assert old["data"] == [public(b) for b in bars[100:300]]
    assert across["source"] == "mixed"  # the cache starts at candle 500
    assert across["data"] == [public(b) for b in bars[400:600]]


async def test_a_candle_reads_the_same_from_either_store(stores: tuple[Cache, InfluxDB]) -> None:
    cache, influx = stores
    bars = engine_bars(300, seed=11)
    await write_like_the_engine(cache, influx, bars)
    window = {"start": ns_to_iso(bars[50].open_time), "end": ns_to_iso(bars[249].open_time)}
    async with api(cache, influx) as client:
        from_cache = await candles(client, **window)
        await cache.client.delete(cache.key("candles", "ESZ6", "1m"))
        from_influx = await candles(client, **window)
    assert (from_cache["source"], from_influx["source"]) == ("cache", "influxdb")
    assert from_cache["data"] == from_influx["data"]


async def test_the_forming_candle_is_appended_from_redis(stores: tuple[Cache, InfluxDB]) -> None:
    bars = engine_bars(11)
    await write_like_the_engine(*stores, bars[:10], forming=bars[10])
    async with api(*stores) as client:
        with_forming = await candles(client, limit="3", include_forming="true")
        without = await candles(client, limit="3")
    assert with_forming["data"] == [
        public(bars[8]),
        public(bars[9]),
        public(bars[10], forming=True),
    ]
    assert without["data"] == [public(b) for b in bars[7:10]]


async def test_a_cache_warmed_after_a_backfill_serves_what_influxdb_holds(
    stores: tuple[Cache, InfluxDB],
) -> None:
    cache, influx = stores
    bars = engine_bars(STORED)
    await influx.write_lines(influx_lines(bars))  # as a backfill leaves them
    await write_like_the_engine(cache, influx, bars[-5:])  # the engine had cached a few
    catalog = Catalog(InstrumentRegistry.with_standard_futures())
    assert await warm_cache(cache, InfluxCandles(influx), catalog, [("ESZ6", "1m")]) == 2000
    assert await cache.client.zcard(cache.key("candles", "ESZ6", "1m")) == 2000
    async with api(cache, influx) as client:
        body = await candles(client, limit="2000")
    assert body["source"] == "cache"
    assert body["data"] == [public(b) for b in bars[-2000:]]
