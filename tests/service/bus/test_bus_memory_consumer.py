"""Handlers wired to the in-memory bus: commits, chains, outages and dead letters."""

import asyncio
from decimal import Decimal
from typing import cast

from shared.bus import Handler, MemoryBus, MemoryConsumer, Outcome, RecordingSleep, RetryPolicy
from shared.clock import FakeClock
from shared.messages import Envelope, new_envelope
from shared.messages.schemas.marketdata import Trade

CLOCK = FakeClock(1_700_000_000_000_000_000)
TRADES = "marketdata.trades"


def trade(symbol: str, price: str = "100") -> Envelope[Trade]:
    payload = Trade(symbol=symbol, price=Decimal(price), size=Decimal(1))
    return new_envelope(payload, clock=CLOCK, producer="test")


async def test_a_group_handles_each_message_once_and_resumes_after_its_commit() -> None:
    bus = MemoryBus()
    await bus.publish_many([trade("ES"), trade("NQ")])
    seen = []

    async def on_trade(envelope):
        seen.append(envelope.payload.symbol)

    first = MemoryConsumer(bus, group_id="g", topics=[TRADES], handlers={"Trade": on_trade})
    await first.drain()
    await bus.publish(trade("CL"))
    second = MemoryConsumer(bus, group_id="g", topics=[TRADES], handlers={"Trade": on_trade})
    await second.drain()

    assert seen == ["ES", "NQ", "CL"]
    assert bus.committed("g", TRADES) == 3


async def test_each_group_gets_every_message() -> None:
    bus = MemoryBus()
    await bus.publish(trade("ES"))
    counts = {"a": 0, "b": 0}

    def counter(name: str) -> Handler:
        async def handle(envelope):
            counts[name] += 1

        return handle

    for name in counts:
        await MemoryConsumer(bus, group_id=name, topics=[TRADES], handlers=counter(name)).drain()
    assert counts == {"a": 1, "b": 1}


async def test_messages_a_handler_returns_are_published_and_consumed_downstream() -> None:
    bus = MemoryBus()
    await bus.publish(trade("ES", "100"))

    async def reprice(envelope):
        if envelope.payload.price == Decimal(100):
            return [trade(envelope.payload.symbol, "101")]
        return None

    consumer = MemoryConsumer(bus, group_id="chain", topics=[TRADES], handlers=reprice)
    outcomes = await consumer.drain()

    prices = [cast(Trade, e.payload).price for e in bus.envelopes(TRADES)]
    assert prices == [Decimal(100), Decimal(101)]
    assert [o for _, o in outcomes] == [Outcome.HANDLED, Outcome.HANDLED]
    assert bus.committed("chain", TRADES) == 2


async def test_stopping_during_an_outage_leaves_the_failing_message_uncommitted() -> None:
    bus = MemoryBus()
    await bus.publish_many([trade("ES"), trade("NQ"), trade("CL")])
    done = []

    async def needs_database(envelope):
        if envelope.payload.symbol == "NQ":
            raise ConnectionRefusedError("postgres is down")
        done.append(envelope.payload.symbol)

    class StopAfterThree(RecordingSleep):
        async def __call__(self, seconds):
            await super().__call__(seconds)
            if len(self.delays) == 3:
                await consumer.stop()

    consumer = MemoryConsumer(
        bus, group_id="outage", topics=[TRADES], handlers=needs_database, sleep=StopAfterThree()
    )
    outcomes = await consumer.drain()

    assert done == ["ES"]
    assert outcomes[-1][1] is Outcome.ABANDONED
    assert bus.committed("outage", TRADES) == 1
    assert bus.records("marketdata.trades.dlq") == []


async def test_a_poison_message_is_dead_lettered_and_the_next_one_still_handled() -> None:
    bus = MemoryBus()
    await bus.publish(trade("ES"))
    await bus.publish_raw(TRADES, b"NQ", b"garbage", [("type", b"Trade"), ("version", b"1")])
    await bus.publish(trade("CL"))
    done = []

    async def on_trade(envelope):
        done.append(envelope.payload.symbol)

    consumer = MemoryConsumer(bus, group_id="poison", topics=[TRADES], handlers=on_trade)
    await consumer.drain()

    assert done == ["ES", "CL"]
    assert [r.value for r in bus.records("marketdata.trades.dlq")] == [b"garbage"]
    assert bus.committed("poison", TRADES) == 3


async def test_a_failing_handler_dead_letters_after_the_retry_budget_and_moves_on() -> None:
    bus = MemoryBus()
    await bus.publish_many([trade("ES"), trade("NQ")])
    calls = []

    async def buggy(envelope):
        calls.append(envelope.payload.symbol)
        if envelope.payload.symbol == "ES":
            raise KeyError("missing instrument")

    sleep = RecordingSleep(FakeClock())
    consumer = MemoryConsumer(
        bus,
        group_id="buggy",
        topics=[TRADES],
        handlers=buggy,
        policy=RetryPolicy(max_attempts=4),
        sleep=sleep,
    )
    await consumer.drain()

    assert calls == ["ES"] * 4 + ["NQ"]
    [dead] = bus.records("marketdata.trades.dlq")
    assert dict(dead.headers)["dlq.reason"] == b"handler_failed"
    assert bus.committed("buggy", TRADES) == 2


async def test_run_handles_records_as_they_arrive_until_stopped():
    bus = MemoryBus()
    seen = []
    arrived = asyncio.Event()

    async def on_trade(envelope):
        seen.append(envelope.payload.symbol)
        if len(seen) == 2:
            arrived.set()

    consumer = MemoryConsumer(bus, group_id="live", topics=[TRADES], handlers=on_trade)
    await consumer.start()
    task = asyncio.create_task(consumer.run())
    await bus.publish(trade("ES"))
    await asyncio.sleep(0)
    await bus.publish(trade("NQ"))
    await asyncio.wait_for(arrived.wait(), 5)
    await consumer.stop()
    await asyncio.wait_for(task, 5)

    assert seen == ["ES", "NQ"]
    assert bus.committed("live", TRADES) == 2
