"""The engine as a process: killed mid-stream it resumes exactly; SIGTERM saves and commits."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from market_data_engine.adapters.candle_format import decode_cached
from market_data_engine.pipeline.outputs import bar_message_id
from shared.bus import KafkaPublisher, ensure_topics
from shared.cache import Cache
from shared.messages import decode
from shared.tsdb import InfluxDB
from tests.infra import Endpoints
from tests.integration.market_data_engine.pipeline.conftest import (
    delete_topics,
    eventually,
    read_all,
)
from tests.integration.services.process import ServiceProcess, free_port, service_env
from tests.unit.market_data_engine.pipeline.support import (
    SECOND,
    closed_reference,
    random_trades,
    trade,
)

pytestmark = pytest.mark.integration

PACKAGE = "market_data_engine"


@pytest.fixture
def symbol() -> str:
    """A contract no live feed trades (a past year), so the shared key space stays clean."""
    return f"GCZ{random.Random().randint(10, 19)}"


@pytest.fixture
async def names(
    infra: Endpoints, unique: Callable[[str], str], symbol: str
) -> AsyncIterator[dict[str, str]]:
    trades, bars = unique("it.mdp.trades"), unique("it.mdp.bars")
    created = await ensure_topics(infra.kafka_bootstrap, [(trades, 2), (bars, 2)])
    found = {"trades": trades, "bars": bars, "group": unique("it-mdp"), "db": unique("it_mdp")}
    influx = InfluxDB(infra.influx_url, found["db"])
    await influx.start()
    await influx.create_database()
    try:
        yield found
    finally:
        await influx.drop_database(found["db"])
        await influx.close()
        cache = Cache(infra.redis_url)
        await cache.start()
        for pattern in (f"*:{symbol}:*", f"*:{symbol}", f"*:{found['group']}:*"):
            keys = [k async for k in cache.client.scan_iter(match=cache.key(pattern))]
            if keys:
                await cache.client.delete(*keys)
        await cache.close()
        await delete_topics(infra.kafka_bootstrap, created)


def engine(infra: Endpoints, names: dict[str, str], workdir: Path) -> ServiceProcess:
    env = service_env(
        PACKAGE,
        free_port(),
        infra,
        TICKSTREAM_INFLUX_DATABASE=names["db"],
        TICKSTREAM_MARKETDATA_TRADES_TOPIC=names["trades"],
        TICKSTREAM_MARKETDATA_BARS_TOPIC=names["bars"],
        TICKSTREAM_MARKETDATA_CONSUMER_GROUP=names["group"],
        TICKSTREAM_MARKETDATA_LIVE="false",
        TICKSTREAM_MARKETDATA_BATCH_MAX_RECORDS="300",
    )
    return ServiceProcess(PACKAGE, env, workdir)


async def committed(bootstrap: str, group: str) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    return sum(meta.offset for meta in offsets.values())


async def test_killed_mid_stream_the_engine_resumes_exactly_and_stops_cleanly_on_sigterm(
    infra: Endpoints, names: dict[str, str], symbol: str, tmp_path: Path
) -> None:
    trades = random_trades(8000, (symbol,), seed=21)
    trades.append(trade(symbol, trades[-1].ts_event + 3 * 86_400 * SECOND, "2000"))
    publisher = KafkaPublisher(infra.kafka_bootstrap, linger_ms=5)
    await publisher.start()
    cache = Cache(infra.redis_url)
    await cache.start()
    state_keys = cache.key("pipeline", names["group"], names["trades"], "*")

    async def saved() -> int:
        keys = [k.decode() async for k in cache.client.scan_iter(match=state_keys)]
        return sum([(await cache.get_json(key))["offset"] for key in keys])

    async def started() -> bool:
        return await saved() > 0

    async def finished() -> bool:
        return await saved() >= len(trades)

    try:
        await publisher.publish_many(trades[:5000], topic=names["trades"])
        first = engine(infra, names, tmp_path)
        try:
            await eventually(started)
        finally:
            first.process.kill()  # SIGKILL: nothing saved or committed on the way out
            first.process.wait()
        await publisher.publish_many(trades[5000:], topic=names["trades"])
        second = engine(infra, names, tmp_path)
        async with httpx.AsyncClient() as client:
            await second.wait_ready_status(client, 200)
        await eventually(finished, timeout_s=120)
        assert await asyncio.to_thread(second.terminate) == 0, second.log_tail()
        assert await committed(infra.kafka_bootstrap, names["group"]) == len(trades)
        expected = closed_reference(trades)
        found: dict[tuple[str, str, int], set[object]] = {}
        for record in await read_all(infra.kafka_bootstrap, names["bars"]):
            envelope = decode(record.value, list(record.headers))
            bar = envelope.payload
            key = (bar.symbol, bar.timeframe, bar.open_time)  # type: ignore[attr-defined]
            assert envelope.message_id == bar_message_id(*key)
            assert bar == expected[key]
            found.setdefault(key, set()).add(envelope.message_id)
        assert set(found) == set(expected)
        newest = await cache.client.zrange(cache.key("candles", symbol, "1m"), -1, -1)
        minutes = [bar for (_, tf, _), bar in expected.items() if tf == "1m"]
        cached = decode_cached(symbol, "1m", bytes(newest[0]))  # type: ignore[arg-type]
        assert cached == max(minutes, key=lambda b: b.open_time)
    finally:
        await publisher.close()
        await cache.close()
