"""The candle pipeline with in-memory stores: trades in, candles out, through restarts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest
from aiokafka import TopicPartition

from market_data_engine.adapters.candle_format import decode_cached
from market_data_engine.pipeline.config import PipelineConfig
from market_data_engine.pipeline.engine import CandlePipeline
from market_data_engine.pipeline.outputs import bar_message_id
from shared.bus.dlq import HEADER_REASON, HEADER_SOURCE_OFFSET
from shared.bus.retry import GaveUp
from shared.clock import FakeClock
from shared.messages import Envelope, decode, encode
from shared.messages.schemas.marketdata import Bar, Trade
from tests.service.market_data_engine.pipeline.fakes import Stores, batch
from tests.unit.market_data_engine.pipeline.support import (
    MINUTE,
    SECOND,
    START_NS,
    closed_reference,
    random_trades,
    record,
    records,
    trade,
)

P0, P1 = TopicPartition("trades", 0), TopicPartition("trades", 1)
BATCH = 90


def split(trades: Sequence[Envelope[Trade]]) -> dict[TopicPartition, list[Any]]:
    """Trades to two partitions by symbol, as Kafka's keys would place them."""
    by_partition: dict[TopicPartition, list[Envelope[Trade]]] = {P0: [], P1: []}
    for item in trades:
        by_partition[P0 if item.payload.symbol == "ESZ6" else P1].append(item)
    return {tp: records(items, partition=tp.partition) for tp, items in by_partition.items()}


async def feed(
    pipeline: CandlePipeline, streams: dict[TopicPartition, list[Any]], starts: dict[Any, Any]
) -> None:
    """Hand each partition's records from ``starts`` on, in batches, then let writes end."""
    pending = {
        tp: [r for r in rs if r.offset >= (starts.get(tp) or 0)] for tp, rs in streams.items()
    }
    while any(pending.values()):
        chunk = {tp: rs[:BATCH] for tp, rs in pending.items() if rs}
        pending = {tp: rs[BATCH:] for tp, rs in pending.items()}
        assert await pipeline.handle(batch(chunk, list(streams))) is not None
    await pipeline.handle(batch({}, list(streams)))


def bars_by_key(stores: Stores) -> dict[tuple[str, str, int], list[Envelope[Bar]]]:
    found: dict[tuple[str, str, int], list[Envelope[Bar]]] = {}
    for envelope in stores.bus.envelopes("bars"):
        bar = envelope.payload
        assert isinstance(bar, Bar)
        found.setdefault((bar.symbol, bar.timeframe, bar.open_time), []).append(envelope)  # type: ignore[arg-type]
    return found


def assert_exactly_once(stores: Stores, trades: Sequence[Envelope[Trade]]) -> None:
    """Each candle the reference closes is out once in effect, the same wherever it went."""
    expected = closed_reference(trades)
    found = bars_by_key(stores)
    assert set(found) == set(expected)
    for key, envelopes in found.items():
        assert {e.message_id for e in envelopes} == {bar_message_id(*key)}
        assert all(e.payload == expected[key] for e in envelopes)
    series = {(f"candles,symbol={s},timeframe={tf}", str(t)) for s, tf, t in expected}
    assert set(stores.lines.points) == series
    for (symbol, timeframe, open_time), bar in expected.items():
        members = stores.cache.client.zmembers(f"t:candles:{symbol}:{timeframe}")
        cached = [
            decode_cached(symbol, timeframe, m) for s, m in members if s == open_time // SECOND
        ]
        assert cached == [bar]


async def started(stores: Stores, **config: Any) -> CandlePipeline:
    await stores.start()
    return stores.pipeline(PipelineConfig(live=False, **config))


async def test_trades_become_candles_on_kafka_in_influxdb_and_in_redis() -> None:
    stores, trades = Stores(), random_trades(700)
    pipeline = await started(stores)
    starts = await pipeline.load([P0, P1])
    assert starts == {P0: None, P1: None}
    await feed(pipeline, split(trades), starts)
    assert_exactly_once(stores, trades)
    redis = stores.cache.client
    assert json.loads(redis.strings["t:last:ESZ6"])["ts_event"] == max(
        t.ts_event for t in trades if t.payload.symbol == "ESZ6"
    )
    forming = decode_cached("ESZ6", "1d", redis.strings["t:forming:ESZ6:1d"])
    assert forming.trade_count == sum(1 for t in trades if t.payload.symbol == "ESZ6")
    assert redis.ttl_ms["t:forming:ESZ6:1m"] > MINUTE // 1_000_000
    assert stores.bus.records("trades.dlq") == []


async def test_saved_states_cover_what_was_written_and_say_where_to_resume() -> None:
    stores, trades = Stores(), random_trades(300)
    pipeline = await started(stores)
    streams = split(trades)
    await pipeline.load([P0, P1])
    first = await pipeline.handle(batch({P0: streams[P0][:50]}, [P0, P1]))
    assert first == {}  # written in the background; reported at the next call
    second = await pipeline.handle(batch({}, [P0, P1]))
    assert second == {P0: 50}
    assert await stores.pipeline(PipelineConfig(live=False)).load([P0, P1]) == {P0: 50, P1: None}


async def test_a_restart_from_the_saved_states_loses_and_duplicates_nothing() -> None:
    stores, trades = Stores(), random_trades(900, seed=4)
    streams = split(trades)
    crashed = await started(stores)
    await crashed.load([P0, P1])
    for n in range(4):
        chunk = {tp: rs[n * BATCH : (n + 1) * BATCH] for tp, rs in streams.items()}
        await crashed.handle(batch(chunk, [P0, P1]))
    await crashed.close()  # dies with a write in flight: that batch is not durable
    restarted = stores.pipeline(PipelineConfig(live=False))
    starts = await restarted.load([P0, P1])
    assert starts == {P0: 3 * BATCH, P1: 3 * BATCH}
    await feed(restarted, streams, starts)
    assert_exactly_once(stores, trades)


async def test_candles_out_before_a_crash_come_again_identical_with_their_ids() -> None:
    stores, trades = Stores(), random_trades(600, seed=6)
    streams = split(trades)
    crashed = await started(stores)
    await crashed.load([P0, P1])
    stores.cache.client.failures = 100  # Kafka and InfluxDB take the batch, Redis never does
    stores.cache.client.fail_with = lambda: ValueError("a bug, not an outage")
    await crashed.handle(batch({tp: rs[:200] for tp, rs in streams.items()}, [P0, P1]))
    with pytest.raises(GaveUp):
        await crashed.handle(batch({}, [P0, P1]))
    await crashed.close()
    assert bars_by_key(stores)  # published before the state could be saved
    stores.cache.client.failures = 0
    restarted = stores.pipeline(PipelineConfig(live=False))
    await feed(restarted, streams, await restarted.load([P0, P1]))
    assert any(len(e) > 1 for e in bars_by_key(stores).values())
    assert_exactly_once(stores, trades)


async def test_a_redis_outage_is_waited_out_without_dead_letters() -> None:
    stores, trades = Stores(), random_trades(300)
    pipeline = await started(stores)
    await pipeline.load([P0, P1])
    stores.cache.client.failures = 5  # more than the retry policy's attempts: transient
    await feed(pipeline, split(trades), {})
    assert stores.cache.client.failures == 0
    assert stores.bus.records("trades.dlq") == []
    assert_exactly_once(stores, trades)


async def test_a_stop_during_an_outage_abandons_the_batch_and_drops_every_state() -> None:
    stores, trades = Stores(), random_trades(100)
    pipeline = await started(stores)
    await pipeline.load([P0, P1])
    stores.cache.client.failures = 10**6
    streams = split(trades)
    await pipeline.handle(batch({P0: streams[P0]}, [P0, P1], keep_going=lambda: False))
    assert await pipeline.handle(batch({}, [P0, P1])) is None
    assert pipeline.states == {}
    stores.cache.client.failures = 0
    assert await pipeline.load([P0, P1]) == {P0: None, P1: None}  # nothing was saved


async def test_poison_trades_go_to_the_dlq_with_their_reason_and_the_rest_makes_candles() -> None:
    stores, good = Stores(), random_trades(200, symbols=("ESZ6",))
    poison = [
        (b"{not json", "malformed"),
        (encode(trade("ESZ6", START_NS, "-1")), "non_positive_price"),
        (encode(trade("ESZ6", START_NS, "5000.1")), "off_grid_price"),
        (encode(trade("QQQQ", START_NS, "1")), "unknown_symbol"),
        (
            json.dumps(
                {
                    **json.loads(encode(good[0])),
                    "payload": {**json.loads(encode(good[0]))["payload"], "size": "NaN"},
                }
            ).encode(),
            "non_finite",
        ),
    ]
    stream = records(good[:100])
    stream += [record(value, 100 + n, key=b"ESZ6") for n, (value, _) in enumerate(poison)]
    stream += records(good[100:], first_offset=100 + len(poison))
    pipeline = await started(stores)
    await pipeline.load([P0])
    await pipeline.handle(batch({P0: stream}, [P0]))
    assert await pipeline.handle(batch({}, [P0])) == {P0: len(stream)}
    dead = stores.bus.records("trades.dlq")
    assert [(r.value, dict(r.headers)[HEADER_REASON].decode()) for r in dead] == poison
    assert [dict(r.headers)[HEADER_SOURCE_OFFSET] for r in dead] == [
        str(100 + n).encode() for n in range(len(poison))
    ]
    assert {k: v[0].payload for k, v in bars_by_key(stores).items()} == closed_reference(good)


async def test_live_mode_closes_candles_by_the_clock_once_a_partition_caught_up() -> None:
    stores = Stores()
    await stores.start()
    clock = FakeClock(START_NS + 30 * SECOND)
    pipeline = stores.pipeline(PipelineConfig(live=True, grace_ns=2 * SECOND), clock)
    await pipeline.load([P0])
    stream = records([trade("ESZ6", START_NS + 10 * SECOND, "5000")])
    await pipeline.handle(batch({P0: stream}, [P0], highwater={P0: 1}))
    clock.advance(MINUTE)  # past the minute's end plus the grace, no trade since
    await pipeline.handle(batch({}, [P0], highwater={P0: 5}))  # lagging: the clock waits
    await pipeline.handle(batch({}, [P0], highwater={P0: 5}))
    assert stores.bus.records("bars") == []
    await pipeline.handle(batch({}, [P0], highwater={P0: 1}))  # caught up
    await pipeline.handle(batch({}, [P0], highwater={P0: 1}))
    [bar] = [decode(r.value).payload for r in stores.bus.records("bars")]
    assert isinstance(bar, Bar)
    assert (bar.timeframe, bar.open_time) == ("1m", START_NS)
    assert "t:forming:ESZ6:1m" not in stores.cache.client.strings
    assert "t:forming:ESZ6:5m" in stores.cache.client.strings


async def test_with_a_snapshot_interval_states_are_saved_less_often_and_on_release() -> None:
    stores, trades = Stores(), random_trades(300)
    clock = FakeClock(0)
    await stores.start()
    pipeline = stores.pipeline(PipelineConfig(live=False, snapshot_interval_ns=SECOND), clock)
    await pipeline.load([P0, P1])
    streams = split(trades)
    offsets = []
    for n in range(3):
        await pipeline.handle(batch({P0: streams[P0][n * 10 : (n + 1) * 10]}, [P0, P1]))
        offsets.append(await pipeline.handle(batch({}, [P0, P1])))
    assert offsets == [{P0: 10}, {}, {}]  # saved at first, then not before a second passed
    assert await pipeline.release([P0]) == {P0: 30}
    assert pipeline.states.keys() == {P1}
