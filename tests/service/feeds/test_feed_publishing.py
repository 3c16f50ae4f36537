"""run_feed into the in-memory bus: envelopes decode back to the trades, keyed by symbol."""

import asyncio
from decimal import Decimal

import pytest
from prometheus_client import CollectorRegistry

from market_data_engine.feeds import (
    FeedHealth,
    FeedHealthMonitor,
    FeedMetrics,
    FeedTrade,
    PacedFeed,
    ReplayFeed,
    ReplayOptions,
    SyntheticMarket,
    run_feed,
    synthetic_feed,
)
from shared.bus import MemoryBus
from shared.clock import FakeClock
from shared.instruments import CME_GLOBEX
from shared.messages.schemas.feeds import FeedState, FeedStatusChanged
from shared.messages.schemas.marketdata import Trade
from tests.unit.feeds.times import HOUR, MINUTE, SECOND, ns

START = ns("2026-03-02T14:00:00Z")


def trades_on(bus: MemoryBus, topic: str = "marketdata.trades") -> list[FeedTrade]:
    back = []
    for envelope in bus.envelopes(topic):
        payload = envelope.payload
        assert isinstance(payload, Trade)
        back.append(
            FeedTrade(
                payload.symbol,
                envelope.ts_event,
                payload.price,
                payload.size,
                payload.aggressor_side,
                payload.venue_trade_id,
            )
        )
    return back


async def test_synthetic_trades_published_decode_back_to_the_same_trades():
    market = SyntheticMarket(["ESZ6", "NQZ6", "CLF7", "GCG7"], seed=7)
    expected = list(market.trades(START, START + 10 * MINUTE))
    bus = MemoryBus()
    feed = synthetic_feed(market, speed=0, start_ns=START, end_ns=START + 10 * MINUTE)
    report = await run_feed(feed, bus, batch_size=250, clock=FakeClock(START + HOUR))
    assert trades_on(bus) == expected
    assert report.published == len(expected) > 1000
    assert report.last_ts == expected[-1].ts
    assert sum(report.per_symbol.values()) == len(expected)
    records = bus.records("marketdata.trades")
    envelopes = bus.envelopes("marketdata.trades")
    assert [r.key for r in records] == [t.symbol.encode() for t in expected]
    assert {e.producer for e in envelopes} == {"market_data_engine.feed.synthetic"}
    assert {e.ts_init for e in envelopes} == {START + HOUR}
    assert len({e.message_id for e in envelopes}) == len(expected)
    assert dict(records[0].headers)["type"] == b"Trade"


async def test_a_replay_publishes_its_file_in_event_time_order(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "symbol,ts,price,size,side,id\n"
        f"NQZ6,{START + 2},18000.25,1,S,n1\n"
        f"ESZ6,{START},5120.25,3,B,e1\n"
        f"ESZ6,{START + 1},5120.50,2,,e2\n"
    )
    feed = ReplayFeed([path], ReplayOptions(timestamp_format="ns"))
    bus = MemoryBus()
    report = await run_feed(feed, bus, batch_size=2)
    assert [(t.symbol, t.ts - START, t.trade_id) for t in trades_on(bus)] == [
        ("ESZ6", 0, "e1"),
        ("ESZ6", 1, "e2"),
        ("NQZ6", 2, "n1"),
    ]
    assert trades_on(bus)[1].price == Decimal("5120.50")
    assert report.batches == 2 and feed.position == 3


class FlakyPublisher(MemoryBus):
    """Fails on the n-th publish_many; remembers the size of every call."""

    def __init__(self, fail_on: int) -> None:
        super().__init__()
        self.fail_on = fail_on
        self.sizes: list[int] = []

    async def publish_many(self, envelopes, topic=None):
        self.sizes.append(len(envelopes))
        if len(self.sizes) == self.fail_on:
            raise ConnectionError("broker gone")
        await super().publish_many(envelopes, topic=topic)


async def test_batches_are_published_in_chunks_of_the_batch_size():
    trades = [FeedTrade("ESZ6", START + k, Decimal(5000), Decimal(1)) for k in range(25)]
    bus = FlakyPublisher(fail_on=0)
    await run_feed(PacedFeed("t", trades, max_batch=12), bus, batch_size=5)
    assert bus.sizes == [5, 5, 2, 5, 5, 2, 1]


async def test_a_failed_publish_says_how_far_the_feed_got(tmp_path):
    rows = "".join(f"{START + k},{5000 + k},1\n" for k in range(10))
    (tmp_path / "r.csv").write_text("ts,price,size\n" + rows)
    feed = ReplayFeed(
        [tmp_path / "r.csv"], ReplayOptions(timestamp_format="ns", symbol="ESZ6"), max_batch=4
    )
    bus = FlakyPublisher(fail_on=2)
    with pytest.raises(ConnectionError) as error:
        await run_feed(feed, bus, batch_size=4)
    assert "feed replay: 4 trades published" in "".join(error.value.__notes__)
    assert feed.position == 4  # resume with skip=4: nothing lost, nothing twice
    assert len(bus.records("marketdata.trades")) == 4


async def test_stop_ends_the_feed_after_the_batch_in_hand():
    stop = asyncio.Event()
    bus = MemoryBus()
    trades = [FeedTrade("ESZ6", START + k, Decimal(5000), Decimal(1)) for k in range(100)]

    def progress(report):
        stop.set()

    report = await run_feed(
        PacedFeed("t", trades, max_batch=10), bus, batch_size=10, stop=stop, on_progress=progress
    )
    assert stop.is_set()
    assert report.published == len(bus.records("marketdata.trades")) == 10


async def test_health_events_go_to_the_status_topic_and_the_gauges():
    clock = FakeClock(START)
    bus = MemoryBus()
    registry = CollectorRegistry()
    health = FeedHealth(MINUTE, lambda s: CME_GLOBEX, started_ns=START, symbols=["ESZ6", "NQZ6"])
    monitor = FeedHealthMonitor(
        health, bus, FeedMetrics(registry), clock=clock, producer="p", wall_clock=clock
    )
    await monitor.check()
    await monitor.observe(
        "synthetic", [FeedTrade("ESZ6", START + SECOND, Decimal(5000), Decimal(2))]
    )
    clock.advance(90 * SECOND)
    await monitor.check()  # NQZ6 silent for 90 s, ESZ6 for 89 s: both stale
    await monitor.observe(
        "synthetic", [FeedTrade("ESZ6", START + 95 * SECOND, Decimal(5000), Decimal(1))]
    )
    events = bus.envelopes("marketdata.status")
    payloads = [e.payload for e in events if isinstance(e.payload, FeedStatusChanged)]
    changes = [(p.symbol, p.state) for p in payloads]
    assert changes == [
        ("ESZ6", FeedState.LIVE),
        ("NQZ6", FeedState.LIVE),
        ("ESZ6", FeedState.STALE),
        ("NQZ6", FeedState.STALE),
        ("ESZ6", FeedState.LIVE),
    ]
    assert len(payloads) == len(events)
    assert [r.key for r in bus.records("marketdata.status")][-1] == b"ESZ6"
    assert events[-1].ts_event == START + 95 * SECOND
    sample = registry.get_sample_value
    assert sample("tickstream_feed_stale", {"symbol": "NQZ6"}) == 1
    assert sample("tickstream_feed_stale", {"symbol": "ESZ6"}) == 0
    assert sample("tickstream_feed_last_trade_timestamp_seconds", {"symbol": "ESZ6"}) == (
        (START + 95 * SECOND) / SECOND
    )
    assert sample("tickstream_feed_trades_total", {"feed": "synthetic", "symbol": "ESZ6"}) == 2


async def test_run_feed_runs_the_health_monitor_while_the_feed_runs():
    bus = MemoryBus()
    market = SyntheticMarket(["ESZ6"], seed=1)
    feed = synthetic_feed(market, speed=0, start_ns=START, end_ns=START + MINUTE)
    health = FeedHealth(MINUTE, lambda s: CME_GLOBEX, started_ns=START, symbols=["ESZ6"])
    monitor = FeedHealthMonitor(
        health, bus, FeedMetrics(CollectorRegistry()), clock=feed.market_clock, producer="p"
    )
    report = await run_feed(feed, bus, health=monitor)
    assert report.published > 0
    states = [getattr(e.payload, "state", None) for e in bus.envelopes("marketdata.status")]
    assert states == [FeedState.LIVE]


async def test_a_failing_health_monitor_stops_the_feed_and_surfaces():
    class Broken(FeedHealthMonitor):
        async def check(self):
            raise RuntimeError("monitor broke")

    bus = MemoryBus()
    never_ending = synthetic_feed(SyntheticMarket(["ESZ6"], seed=1), speed=0, start_ns=START)
    health = FeedHealth(MINUTE, lambda s: None, started_ns=START)
    monitor = Broken(health, bus, FeedMetrics(CollectorRegistry()), clock=FakeClock(), producer="p")
    with pytest.raises(RuntimeError, match="monitor broke"):
        await run_feed(never_ending, bus, health=monitor)
