"""Candle query latency, 500 candles: ``uv run python bench/candle_query.py [--requests 300]``.

Stores 3000 1-minute candles the way the live engine does (InfluxDB lines, Redis sorted set
trimmed to the newest 2000) under a fresh database and key prefix, starts the engine's API
(create_app with the candle routers) under uvicorn in a subprocess on a free port, and
measures sequential requests over one keep-alive connection: the newest 500 (from Redis) and
500 older than the cache (from InfluxDB). Baselines in the same run: the bare Redis
ZREVRANGEBYSCORE and the bare InfluxDB HTTP query of the same candles, from this process.
Also the same API requests in-process (ASGI, no socket). Uses TICKSTREAM_REDIS_URL and
TICKSTREAM_INFLUX_URL (defaults: the local servers).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal
from functools import partial
from typing import Any
from urllib.parse import urlencode, urlparse

import httpx

from market_data_engine.adapters.candle_format import closed_key
from market_data_engine.api import candles_router, gaps_router
from market_data_engine.domain.candles import Candle, Scale
from market_data_engine.pipeline.outputs import Outputs, influx_lines, redis_commands
from market_data_engine.queries.plan import Window
from market_data_engine.queries.stores import history_statement
from market_data_engine.settings import MarketDataEngineSettings
from shared.cache import Cache
from shared.resources import Resource
from shared.service import create_app
from shared.tsdb import InfluxDB

MINUTE = 60_000_000_000
T0 = 1_772_000_000 * 1_000_000_000 // MINUTE * MINUTE
COUNT, LIMIT = 3000, 500
REDIS = os.environ.get("TICKSTREAM_REDIS_URL", "redis://127.0.0.1:6379/0")
INFLUX = os.environ.get("TICKSTREAM_INFLUX_URL", "http://127.0.0.1:8086")


def app(prefix: str, database: str) -> Any:
    """The engine's API on real stores (no pipeline): what the benchmark's server runs."""
    settings = MarketDataEngineSettings(_env_file=None, log_level="WARNING")
    stores: list[Resource] = [Cache(REDIS, prefix=prefix), InfluxDB(INFLUX, database)]
    return create_app(settings, stores, title="bench", routers=(candles_router, gaps_router))


def serve(port: int, prefix: str, database: str) -> None:
    import uvicorn

    uvicorn.run(
        app(prefix, database), host="127.0.0.1", port=port, log_level="warning", access_log=False
    )


async def fill(cache: Cache, influx: InfluxDB) -> None:
    rng, price, bars = random.Random(1), 20_000, []
    for i in range(COUNT):
        path = [price := price + rng.randint(-3, 3) for _ in range(4)]
        volume = rng.randint(1, 400)
        turnover = rng.randint(min(path) * volume, max(path) * volume)
        start = T0 + i * MINUTE
        candle = Candle("ESZ6", "1m", start, start + MINUTE, path[0], max(path), min(path),
                        path[-1], volume, rng.randint(1, 60), turnover)  # fmt: skip
        bars.append(Scale(Decimal("0.25")).bar(candle))
    await influx.write_lines(influx_lines(bars))
    async with cache.client.pipeline(transaction=True) as pipe:
        for command in redis_commands(Outputs(bars=bars), cache.key, {}):
            pipe.execute_command(*command)
        await pipe.execute()


async def timed_all(requests: int, *calls: tuple[str, Callable[[], Awaitable[object]]]) -> None:
    """Per call: warm up, then ``requests`` sequential calls; print p50 and p99."""
    for label, call in calls:
        for _ in range(20):  # connections, the render memo and the server's caches
            await call()
        samples = []
        for _ in range(requests):
            start = time.perf_counter()
            await call()
            samples.append(time.perf_counter() - start)
        samples.sort()
        p50, p99 = samples[len(samples) // 2] * 1e3, samples[int(len(samples) * 0.99) - 1] * 1e3
        print(f"  {label:<44} p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")


class RawHttp:
    """A minimal HTTP/1.1 keep-alive client: httpx costs ~2 ms a request by itself here,
    which would hide what the server does."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, params: dict[str, str] | None = None) -> bytes:
        if self._reader is None or self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        target = f"{path}?{urlencode(params)}" if params else path
        self._writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        head = await self._reader.readuntil(b"\r\n\r\n")
        status, *lines = head.decode("latin-1").split("\r\n")
        if " 200 " not in status:
            raise RuntimeError(status)
        headers = dict(line.lower().split(": ", 1) for line in lines if line)
        if "content-length" in headers:
            return await self._reader.readexactly(int(headers["content-length"]))
        body = b""
        while size := int((await self._reader.readuntil(b"\r\n")).strip(), 16):
            body += await self._reader.readexactly(size + 2)
        await self._reader.readexactly(2)
        return body

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def parsed(client: RawHttp, query: dict[str, str]) -> object:
    return json.loads(await client.get("/query", query))


async def wait_ready(client: httpx.AsyncClient) -> None:
    for _ in range(300):
        try:
            if (await client.get("/ready")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("the API did not become ready")


async def measure(requests: int) -> None:
    prefix, database = f"bench{uuid.uuid4().hex[:8]}", f"bench_{uuid.uuid4().hex[:8]}"
    cache, influx = Cache(REDIS, prefix=prefix), InfluxDB(INFLUX, database)
    await cache.start()
    await influx.start()
    await influx.create_database()
    port = free_port()
    command = [sys.executable, __file__, "--serve", str(port), prefix, database]
    server = subprocess.Popen(command)  # noqa: ASYNC220 - started once, before measuring
    try:
        await fill(cache, influx)
        hot = {"symbol": "ESZ6", "timeframe": "1m", "limit": str(LIMIT)}
        old_end = T0 + (COUNT - 2000 - 1) * MINUTE  # the newest candle older than the cache
        cold = {**hot, "start": str(T0), "end": str(old_end)}
        statement, params = history_statement("ESZ6", "1m", Window(T0, old_end, LIMIT))
        key = cache.key(*closed_key("ESZ6", "1m"))
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            await wait_ready(client)
            assert (await client.get("/api/v1/candles", params=cold)).json()["source"] == "influxdb"
            assert (await client.get("/api/v1/candles", params=hot)).json()["source"] == "cache"
        server_url = urlparse(INFLUX)
        raw = RawHttp("127.0.0.1", port)
        bare = RawHttp(server_url.hostname or "127.0.0.1", server_url.port or 8086)
        query = {"q": statement, "db": database, "epoch": "ns", "params": json.dumps(params)}
        print(f"{LIMIT} candles, {requests} sequential requests each (uvicorn, keep-alive):")
        await timed_all(
            requests,
            ("floor: GET /health", partial(raw.get, "/health")),
            ("API, from Redis", partial(raw.get, "/api/v1/candles", hot)),
            (
                "baseline: bare Redis ZREVRANGEBYSCORE",
                partial(cache.client.zrevrangebyscore, key, "+inf", "-inf", 0, LIMIT),
            ),
            ("API, from InfluxDB", partial(raw.get, "/api/v1/candles", cold)),
            ("baseline: bare InfluxDB query, JSON parsed", partial(parsed, bare, query)),
        )
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            print("the same through httpx (its own cost included):")
            await timed_all(
                requests,
                ("floor: GET /health", partial(client.get, "/health")),
                ("API, from Redis", partial(client.get, "/api/v1/candles", params=hot)),
                ("API, from InfluxDB", partial(client.get, "/api/v1/candles", params=cold)),
            )
        await raw.close()
        await bare.close()
        local = app(prefix, database)
        async with local.router.lifespan_context(local):
            transport = httpx.ASGITransport(app=local)
            async with httpx.AsyncClient(transport=transport, base_url="http://engine") as client:
                await wait_ready(client)
                print("the same API in-process (ASGI, no socket):")
                await timed_all(
                    requests,
                    ("API, from Redis", partial(client.get, "/api/v1/candles", params=hot)),
                    ("API, from InfluxDB", partial(client.get, "/api/v1/candles", params=cold)),
                )
    finally:
        server.terminate()
        server.wait(10)
        await cache.start()  # the in-process app closed its resources
        await influx.start()
        await cache.client.delete(cache.key(*closed_key("ESZ6", "1m")))
        await influx.drop_database(database)
        await cache.close()
        await influx.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument(
        "--serve", nargs=3, metavar=("PORT", "PREFIX", "DATABASE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.serve:
        serve(int(args.serve[0]), args.serve[1], args.serve[2])
    else:
        asyncio.run(measure(args.requests))
