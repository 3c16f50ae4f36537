"""Feed speed: ``uv run python bench/feeds.py [--kafka BOOTSTRAP] [--hours H]``.

Measures, on the demo market (ESZ6, NQZ6, CLF7, GCG7) from a Monday 00:00 UTC:

- the synthetic market generating trades (a simulated day by default),
- making and encoding ``Trade`` envelopes (what every published trade costs),
- ``run_feed`` at max speed into the in-memory bus (generation + envelopes + encoding),
- with ``--kafka``: ``run_feed`` into a fresh topic of that broker (acks=all), deleted after.

Prints the best of a few runs (the machine is shared; the best run is the least disturbed).
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from collections.abc import Callable

from aiokafka.admin import AIOKafkaAdminClient

from market_data_engine.feeds import (
    DEMO_SYMBOLS,
    SyntheticMarket,
    run_feed,
    synthetic_feed,
    trade_envelopes,
)
from shared.bus import KafkaPublisher, MemoryBus, ensure_topics
from shared.messages import encode

START_NS = 1_772_409_600_000_000_000  # 2026-03-02T00:00Z, a Monday
HOUR_NS = 3600 * 10**9
REPEATS = 3


def best_rate(count: int, run: Callable[[], object]) -> float:
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return count / min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hours", type=float, default=24.0, help="simulated hours to generate")
    parser.add_argument("--kafka", help="bootstrap servers: also publish to a real broker")
    args = parser.parse_args()
    end = START_NS + int(args.hours * HOUR_NS)
    market = SyntheticMarket(DEMO_SYMBOLS, seed=7)
    trades = list(market.trades(START_NS, end))
    count = len(trades)
    print(f"demo market, {args.hours:g} simulated hours: {count:,} trades")

    rate = best_rate(count, lambda: sum(1 for _ in market.trades(START_NS, end)))
    print(f"synthetic generation:         {rate:>12,.0f} trades/s")

    sample = trades[:200_000]

    def envelopes_and_encode() -> None:
        for envelope in trade_envelopes(sample, producer="bench", ts_init=START_NS):
            encode(envelope)  # type: ignore[arg-type]

    rate = best_rate(len(sample), envelopes_and_encode)
    print(f"envelopes made and encoded:   {rate:>12,.0f} trades/s")

    def into_memory() -> None:
        feed = synthetic_feed(market, speed=0, start_ns=START_NS, end_ns=START_NS + HOUR_NS * 2)
        asyncio.run(run_feed(feed, MemoryBus(), batch_size=1000))

    two_hours = sum(1 for _ in market.trades(START_NS, START_NS + 2 * HOUR_NS))
    rate = best_rate(two_hours, into_memory)
    print(f"run_feed into MemoryBus:      {rate:>12,.0f} trades/s")

    if args.kafka:
        rate = asyncio.run(into_kafka(args.kafka, market, two_hours))
        print(f"run_feed into Kafka (acks=all): {rate:>10,.0f} trades/s")


async def into_kafka(bootstrap: str, market: SyntheticMarket, count: int) -> float:
    topic = f"bench.feeds.{uuid.uuid4().hex[:10]}"
    await ensure_topics(bootstrap, [(topic, 12)], dlq=False)
    publisher = KafkaPublisher(bootstrap, client_id="bench-feeds", linger_ms=5)
    await publisher.start()
    try:
        feed = synthetic_feed(market, speed=0, start_ns=START_NS, end_ns=START_NS + 2 * HOUR_NS)
        started = time.perf_counter()
        report = await run_feed(feed, publisher, batch_size=2000, topic=topic)
        elapsed = time.perf_counter() - started
        assert report.published == count
        return count / elapsed
    finally:
        await publisher.close()
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            await admin.delete_topics([topic])
        finally:
            await admin.close()


if __name__ == "__main__":
    main()
