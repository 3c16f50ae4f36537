"""The candle pipeline against real Kafka, Redis and InfluxDB: candles out, restarts, poison."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest

from market_data_engine.adapters.candle_format import decode_cached
from market_data_engine.pipeline.outputs import bar_message_id
from shared.bus.dlq import HEADER_REASON
from shared.messages import Envelope, decode, encode
from shared.messages.schemas.marketdata import Bar, Trade
from tests.integration.market_data_engine.pipeline.conftest import Rig, eventually, read_all
from tests.unit.market_data_engine.pipeline.support import (
    SECOND,
    closed_reference,
    random_trades,
    trade,
)

pytestmark = pytest.mark.integration

SYMBOLS = ("ESZ6", "NQZ6", "CLF7", "GCG7")
DAY = 86_400 * SECOND


def with_closers(trades: list[Envelope[Any]]) -> list[Envelope[Any]]:
    """One more trade per symbol days later, so every candle of ``trades`` closes."""
    last = max(t.ts_event for t in trades)
    closers = []
    for symbol in SYMBOLS:
        price = next(t.payload.price for t in reversed(trades) if t.payload.symbol == symbol)
        closers.append(trade(symbol, last + 3 * DAY, str(price)))
    return trades + closers


async def bars_out(rig: Rig) -> dict[tuple[str, str, int], list[Envelope[Bar]]]:
    found: dict[tuple[str, str, int], list[Envelope[Bar]]] = {}
    for record in await read_all(rig.infra.kafka_bootstrap, rig.bars):
        envelope = decode(record.value, list(record.headers))
        bar = envelope.payload
        assert isinstance(bar, Bar)
        assert record.key == bar.symbol.encode()
        found.setdefault((bar.symbol, bar.timeframe, bar.open_time), []).append(envelope)  # type: ignore[arg-type]
    return found


async def assert_candles_everywhere(rig: Rig, trades: Sequence[Envelope[Trade]]) -> int:
    """Each closed candle once in effect on Kafka (same id, same values), InfluxDB and Redis.

    Returns how many bar messages were repeats (re-emitted after a crash).
    """
    expected = closed_reference(trades)
    found = await bars_out(rig)
    assert set(found) == set(expected)
    for key, envelopes in found.items():
        assert {e.message_id for e in envelopes} == {bar_message_id(*key)}
        assert all(e.payload == expected[key] for e in envelopes)
    series = await rig.stores.influx.query(
        "SELECT open, high, low, close, volume, trades FROM candles GROUP BY symbol, timeframe"
    )
    points = {
        (s.tags["symbol"], s.tags["timeframe"], row[0]): row[1:] for s in series for row in s.values
    }
    assert set(points) == set(expected)
    for key, bar in expected.items():
        assert points[key] == [
            *(float(v) for v in (bar.open, bar.high, bar.low, bar.close, bar.volume)),
            bar.trade_count,
        ]
    client, cache = rig.stores.cache.client, rig.stores.cache
    for (symbol, timeframe, open_time), bar in expected.items():
        name = cache.key("candles", symbol, timeframe)
        members = await client.zrangebyscore(name, open_time // SECOND, open_time // SECOND)
        cached = [decode_cached(symbol, timeframe, bytes(m)) for m in members]  # type: ignore[arg-type]
        assert cached == [bar]
    return sum(len(envelopes) - 1 for envelopes in found.values())


async def caught_up(rig: Rig, count: int) -> bool:
    return sum((await rig.saved_offsets()).values()) >= count


async def test_trades_on_kafka_come_out_as_candles_on_kafka_in_influxdb_and_redis(
    rig: Rig,
) -> None:
    trades = with_closers(random_trades(1500, SYMBOLS, seed=11))
    await rig.stores.publisher.publish_many(trades, topic=rig.trades)
    pipeline = rig.pipeline()
    pipeline.start()
    try:
        await eventually(lambda: caught_up(rig, len(trades)))
    finally:
        await pipeline.stop()
    await assert_candles_everywhere(rig, trades)
    last = await rig.stores.cache.get_json(rig.stores.cache.key("last", "ESZ6"))
    es = [t for t in trades if t.payload.symbol == "ESZ6"]
    assert last == {
        "price": str(es[-1].payload.price),
        "size": str(es[-1].payload.size),
        "ts_event": es[-1].ts_event,
    }


async def test_a_crash_in_the_middle_of_the_stream_loses_and_duplicates_nothing(
    rig: Rig,
) -> None:
    trades = with_closers(random_trades(6000, SYMBOLS, seed=12))
    cut = 2 * len(trades) // 3
    await rig.stores.publisher.publish_many(trades[:cut], topic=rig.trades)
    first = rig.pipeline()
    first.start()
    try:
        await eventually(lambda: caught_up(rig, 1))
    finally:
        await first.abort()  # no final save, no commit: as if the process died
    await rig.stores.publisher.publish_many(trades[cut:], topic=rig.trades)
    second = rig.pipeline()
    second.start()
    try:
        await eventually(lambda: caught_up(rig, len(trades)))
    finally:
        await second.stop()
    repeats = await assert_candles_everywhere(rig, trades)
    # Resumed from the saved states: only what was in flight at the crash came out again.
    assert repeats <= len(closed_reference(trades)) // 4


async def test_poison_trades_land_in_the_dlq_with_their_reason_and_the_rest_makes_candles(
    rig: Rig,
) -> None:
    good = with_closers(random_trades(400, SYMBOLS, seed=13))
    body: dict[str, Any] = json.loads(encode(good[0]))
    poison = {
        b"{not json": "malformed",
        encode(trade("ESZ6", good[0].ts_event, "0")): "non_positive_price",
        encode(trade("ESZ6", good[0].ts_event, "5000.13")): "off_grid_price",
        encode(trade("ZZZ9", good[0].ts_event, "1")): "unknown_symbol",
        json.dumps({**body, "payload": {**body["payload"], "price": "NaN"}}).encode(): "non_finite",
    }
    publisher = rig.stores.publisher
    await publisher.publish_many(good[:200], topic=rig.trades)
    for value in poison:
        await publisher.publish_raw(
            rig.trades, b"ESZ6", value, [("type", b"Trade"), ("version", b"1")]
        )
    await publisher.publish_many(good[200:], topic=rig.trades)
    pipeline = rig.pipeline()
    pipeline.start()
    try:
        await eventually(lambda: caught_up(rig, len(good) + len(poison)))
    finally:
        await pipeline.stop()
    dead = await read_all(rig.infra.kafka_bootstrap, rig.trades + ".dlq")
    assert {r.value: dict(r.headers)[HEADER_REASON].decode() for r in dead} == poison
    await assert_candles_everywhere(rig, good)


async def test_a_second_engine_joining_mid_stream_takes_partitions_over_exactly(
    rig: Rig,
) -> None:
    trades = with_closers(random_trades(6000, SYMBOLS, seed=14))
    cut = len(trades) // 2
    await rig.stores.publisher.publish_many(trades[:cut], topic=rig.trades)
    first, second = rig.pipeline(), rig.pipeline()
    first.start()
    try:
        await eventually(lambda: caught_up(rig, 1))
        second.start()  # the group rebalances: states saved, handed over, restored
        await rig.stores.publisher.publish_many(trades[cut:], topic=rig.trades)
        await eventually(lambda: caught_up(rig, len(trades)))
    finally:
        await first.stop()
        await second.stop()
    await assert_candles_everywhere(rig, trades)
