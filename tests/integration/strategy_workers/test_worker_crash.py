"""The strategy workers killed (SIGKILL) in the middle of a live run and restarted, as real
processes over real Kafka, Postgres and InfluxDB with a real order processor: the bars not
committed are handled again, and the ledger ends with exactly the orders one uninterrupted
run makes, each client order id once."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest

from shared.strategy.definition import StrategyDefinition
from tests.infra import Endpoints
from tests.integration.strategy_workers.market import (
    CLOSES,
    expected_orders,
    feed_paced,
    ledger_ids,
    minute_bars,
    net_filled,
    publish,
)
from tests.integration.strategy_workers.workers import Workers
from tests.integration.strategy_workers.world import StrategyWorld, strategy_world
from tests.support.event_log import until
from tests.support.order_rig import unique_symbol
from tests.support.order_world import in_process

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]


@pytest.fixture
async def world(infra: Endpoints, unique: Callable[[str], str]) -> AsyncIterator[StrategyWorld]:
    async with strategy_world(infra, unique) as made:
        yield made


async def run_through_a_kill(
    world: StrategyWorld, workdir: Path, first_env: dict[str, str], rng: random.Random | None
) -> tuple[StrategyDefinition, Workers]:
    """Feed the bars to a worker that dies (at its crash point, or killed by this test at a
    random moment when ``rng`` is given), restart it, and check the ledger."""
    account, symbol = await world.orders.account(), unique_symbol()
    d = await world.crossover(account, symbol)
    bars = minute_bars(symbol, CLOSES)
    workers = Workers(world, workdir, first_env)
    try:
        async with in_process(world.orders):
            await world.orders.position_feed(unique_symbol())
            await world.started(d)
            await until(lambda: workers.has(d), timeout_s=180)
            if rng is not None:
                workers.kill_at = (rng.choice(bars[3:14]).open_time, rng.uniform(0.0, 0.05))
            await feed_paced(world, d, bars, partial(workers.handled, bars), timeout_s=180)

            async def settled() -> bool:
                return await net_filled(world, d) == Decimal(-1)

            await until(settled)
            assert len(workers.processes) == 2, "the first worker never died"
            assert await asyncio.to_thread(workers.current.terminate) == 0
    finally:
        await workers.stop()
    expected = [o.client_order_id for by in expected_orders(d, bars).values() for o in by]
    assert await ledger_ids(world, d) == expected
    sent = Counter(
        p.client_order_id
        for p in world.log.payloads("SubmitOrder")
        if p.strategy_id == d.strategy_id
    )
    print(f"orders sent: {dict(sent)}")  # a replayed bar may send its order again, same id
    assert set(sent) == set(expected)
    return d, workers


async def test_killed_after_publishing_orders_before_committing_it_orders_nothing_twice(
    world: StrategyWorld, tmp_path: Path
) -> None:
    env = {"TICKSTREAM_STRATEGY_CRASH_AT": "after-publish", "TICKSTREAM_STRATEGY_CRASH_AFTER": "2"}
    _, workers = await run_through_a_kill(world, tmp_path, env, rng=None)
    assert "crash point after-publish reached" in workers.processes[0].log_path.read_text()


async def test_killed_from_outside_at_a_random_moment_it_orders_nothing_twice(
    world: StrategyWorld, tmp_path: Path
) -> None:
    await run_through_a_kill(world, tmp_path, {}, rng=random.Random(11))


async def test_a_bar_replayed_before_the_processor_saw_its_order_sends_it_again_with_its_id(
    world: StrategyWorld, tmp_path: Path
) -> None:
    """The processor is down when the worker dies right after sending the order of bar 8:
    the next worker's book lacks it, handles bar 8 again and sends the same order (same
    message id); the processor, back, books it once."""
    account, symbol = await world.orders.account(), unique_symbol()
    d = await world.crossover(account, symbol)
    bars = minute_bars(symbol, CLOSES)
    expected = expected_orders(d, bars)
    env = {"TICKSTREAM_STRATEGY_CRASH_AT": "after-publish", "TICKSTREAM_STRATEGY_CRASH_AFTER": "2"}
    workers = Workers(world, tmp_path, env)
    handled = partial(workers.handled, bars)
    try:
        async with in_process(world.orders):
            await world.orders.position_feed(unique_symbol())
            await world.started(d)
            await until(lambda: workers.has(d), timeout_s=180)
            await feed_paced(world, d, bars[:8], handled, expected=expected)
        await publish(world, bars[8:9])  # its order goes out, then the worker dies
        await until(lambda: handled(bars[8]), timeout_s=180)
        assert len(workers.processes) == 2, "the first worker never died"
        async with in_process(world.orders):
            await world.orders.position_feed(unique_symbol())
            await feed_paced(world, d, bars[8:], handled, expected=expected)

            async def settled() -> bool:
                return await net_filled(world, d) == Decimal(-1)

            await until(settled)
            assert await asyncio.to_thread(workers.current.terminate) == 0
    finally:
        await workers.stop()
    ids = [o.client_order_id for by in expected.values() for o in by]
    assert await ledger_ids(world, d) == ids
    replayed = ids[1]  # bar 8's
    copies = [
        e
        for e in world.log.envelopes("SubmitOrder")
        if e.payload.client_order_id == replayed  # type: ignore[attr-defined]
    ]
    assert len(copies) == 2
    assert copies[0].message_id == copies[1].message_id
    assert copies[0].payload == copies[1].payload
