"""The outbox and its relay against a real Postgres, with a fake publisher."""

from __future__ import annotations

import asyncio
import random
from decimal import Decimal

import pytest

from shared.clock import FakeClock
from shared.db import OutboxRelay, enqueue
from shared.messages import decode, new_envelope
from shared.messages.schemas.marketdata import Trade

pytestmark = pytest.mark.integration


class FakePublisher:
    """Records what it publishes, acknowledging after a random (seeded) short delay, as a
    broker would; can fail at the n-th message after sending it."""

    def __init__(self, fail_at: int | None = None, expect: int | None = None) -> None:
        self.published: list[tuple[str, bytes | None, bytes, list[tuple[str, bytes]]]] = []
        self.rng = random.Random(7)
        self.fail_at = fail_at
        self.expect = expect
        self.got_all = asyncio.Event()

    async def publish_raw_many(self, rows):
        for topic, key, value, headers in rows:
            self.published.append((topic, key, value, headers))
            if self.expect is not None and len(self.published) >= self.expect:
                self.got_all.set()
            if self.fail_at is not None and len(self.published) == self.fail_at:
                raise ConnectionError("broker went away before acknowledging")
        await asyncio.sleep(self.rng.random() / 500)


def trades(count: int, symbols=("ES", "NQ", "CL")):
    clock = FakeClock(1_700_000_000_000_000_000)
    envelopes = []
    for i in range(count):
        clock.advance(1_000)
        trade = Trade(symbol=symbols[i % len(symbols)], price=Decimal(4000 + i), size=Decimal(1))
        envelopes.append(new_envelope(trade, clock=clock, producer="test"))
    return envelopes


def sequence_per_key(published) -> dict[bytes | None, list[int]]:
    order: dict[bytes | None, list[int]] = {}
    for _, key, value, _ in published:
        trade = decode(value).payload
        assert isinstance(trade, Trade)
        order.setdefault(key, []).append(int(trade.price))
    return order


async def unsent(db) -> int:
    count: int = await db.pool.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
    return count


async def test_enqueue_stores_topic_key_headers_and_the_encoded_envelope(db):
    (envelope,) = trades(1)
    async with db.pool.acquire() as conn, conn.transaction():
        assert await enqueue(conn, [envelope]) == 1
    row = await db.pool.fetchrow("SELECT * FROM outbox")
    assert (row["topic"], row["key"], row["type"], row["version"]) == (
        "marketdata.trades",
        b"ES",
        "Trade",
        1,
    )
    assert row["message_id"] == envelope.message_id
    assert decode(row["payload"]) == envelope
    headers = dict(zip(row["header_keys"], row["header_values"], strict=True))
    assert headers["message_id"] == str(envelope.message_id).encode()
    assert row["sent_at"] is None


async def test_enqueue_in_a_rolled_back_transaction_leaves_nothing(db):
    async with db.pool.acquire() as conn:
        with pytest.raises(RuntimeError):
            async with conn.transaction():
                await enqueue(conn, trades(5))
                raise RuntimeError("state change failed")
    assert await db.pool.fetchval("SELECT count(*) FROM outbox") == 0


async def test_relay_publishes_in_order_per_key_and_marks_everything_sent(db):
    envelopes = trades(40)
    async with db.pool.acquire() as conn, conn.transaction():
        await enqueue(conn, envelopes, topic="test.trades")
    publisher = FakePublisher()
    relay = OutboxRelay(db.pool, publisher, batch_size=15)

    sent = [await relay.run_once() for _ in range(4)]

    assert sent == [15, 15, 10, 0]
    assert await unsent(db) == 0
    assert {topic for topic, *_ in publisher.published} == {"test.trades"}
    expected: dict[bytes | None, list[int]] = {}
    for envelope in envelopes:
        expected.setdefault(envelope.payload.symbol.encode(), []).append(
            int(envelope.payload.price)
        )
    assert sequence_per_key(publisher.published) == expected
    _, _, value, headers = publisher.published[0]
    assert dict(headers)["type"] == b"Trade"
    assert decode(value, headers) in envelopes


async def test_a_crash_before_marking_sent_publishes_the_batch_again(db):
    envelopes = trades(9)
    async with db.pool.acquire() as conn, conn.transaction():
        await enqueue(conn, envelopes)
    crashing = FakePublisher(fail_at=7)
    with pytest.raises(ConnectionError):
        await OutboxRelay(db.pool, crashing).run_once()
    assert await unsent(db) == 9  # nothing marked: the broker may or may not have them

    recovered = FakePublisher()
    assert await OutboxRelay(db.pool, recovered).run_once() == 9
    assert await unsent(db) == 0
    ids_first = {decode(v).message_id for _, _, v, _ in crashing.published}
    ids_again = [decode(v).message_id for _, _, v, _ in recovered.published]
    assert sorted(ids_again) == sorted(e.message_id for e in envelopes)
    assert ids_first <= set(ids_again)  # duplicates, for the consumers' inbox to drop


async def test_two_relays_at_once_neither_duplicate_nor_reorder(db):
    envelopes = trades(60)
    async with db.pool.acquire() as conn, conn.transaction():
        await enqueue(conn, envelopes)
    publisher = FakePublisher()
    relays = [OutboxRelay(db.pool, publisher, batch_size=10) for _ in range(2)]

    while await unsent(db):
        await asyncio.gather(*(relay.run_once() for relay in relays))

    assert len(publisher.published) == 60
    for prices in sequence_per_key(publisher.published).values():
        assert prices == sorted(prices)


async def test_running_relay_is_woken_by_new_rows_and_stops_when_told(db):
    publisher = FakePublisher(expect=12)
    # A poll interval far longer than the guard below: only NOTIFY can deliver in time.
    relay = OutboxRelay(db.pool, publisher, poll_interval_s=3600)
    stop = asyncio.Event()
    running = asyncio.create_task(relay.run(stop))
    await asyncio.sleep(0.2)  # let it reach its idle wait

    async with db.pool.acquire() as conn, conn.transaction():
        await enqueue(conn, trades(12))
    async with asyncio.timeout(20):
        await publisher.got_all.wait()
        stop.set()
        await running
    assert await unsent(db) == 0
