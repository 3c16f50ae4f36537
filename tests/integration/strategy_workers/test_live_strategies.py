"""The strategy workers in process over real Kafka, Postgres and InfluxDB, with a real order
processor: a strategy started through ``strategy.control`` trades, a failing one is put aside,
and stored candles warm a strategy up."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from decimal import Decimal

import pytest

from shared.messages.schemas.common import OrderSide
from shared.messages.schemas.marketdata import Bar
from shared.messages.schemas.strategy import StartStrategy, StrategyControlRejected
from shared.strategy.builtins import BUILTINS
from shared.strategy.definition import StrategyDefinition, Subscription
from strategy_workers.runtime.worker import WorkerRunner
from tests.infra import Endpoints
from tests.integration.strategy_workers.market import (
    CLOSES,
    expected_orders,
    feed_paced,
    ledger_ids,
    minute_bars,
    net_filled,
    publish,
    store,
)
from tests.integration.strategy_workers.world import (
    StrategyWorld,
    strategy_world,
    worker_in_process,
)
from tests.service.strategy_workers.strategies import Raiser
from tests.support.event_log import until
from tests.support.order_rig import unique_symbol
from tests.support.order_world import in_process

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]


@pytest.fixture
async def world(infra: Endpoints, unique: Callable[[str], str]) -> AsyncIterator[StrategyWorld]:
    async with strategy_world(infra, unique) as made:
        yield made


def handled_by(worker: WorkerRunner, d: StrategyDefinition) -> Callable[[Bar], Awaitable[bool]]:
    """A condition: the worker fed ``bar`` to the strategy."""

    async def check(bar: Bar) -> bool:
        parts = worker.parts
        slot = parts.desk.slots.get(d.strategy_id) if parts is not None else None
        sub = Subscription(bar.symbol, bar.timeframe)
        return slot is not None and slot.fed.get(sub, -1) >= bar.open_time

    return check


async def running(worker: WorkerRunner, d: StrategyDefinition) -> None:
    async def here() -> bool:
        return worker.parts is not None and d.strategy_id in worker.parts.desk.slots

    await until(here)


async def test_a_strategy_started_through_control_trades_and_holds_a_position(
    world: StrategyWorld,
) -> None:
    account, symbol = await world.orders.account(), unique_symbol()
    d = await world.crossover(account, symbol)
    bars = minute_bars(symbol, CLOSES)
    expected = expected_orders(d, bars)
    async with in_process(world.orders) as processor, worker_in_process(world) as worker:
        await world.orders.position_feed(unique_symbol())  # the processor reads the market
        stranger = await world.control(StartStrategy, _other(d))
        await world.started(d)
        await running(worker, d)
        await feed_paced(world, d, bars, handled_by(worker, d))

        async def settled() -> bool:
            return await net_filled(world, d) == Decimal(-1)

        await until(settled)
        assert (processor.failures, worker.failures) == (0, 0)

    orders = [o for by_bar in expected.values() for o in by_bar]
    sides = [(o.side, int(o.quantity)) for o in orders]
    assert sides == [
        (OrderSide.BUY, 1),
        (OrderSide.SELL, 2),
        (OrderSide.BUY, 2),
        (OrderSide.SELL, 2),
    ]
    assert await ledger_ids(world, d) == [o.client_order_id for o in orders]
    # each market order filled at the open of the bar after the one that made it
    opens = {bars[i - 1].open_time: bars[i].open for i in range(1, len(bars))}
    filled = await world.orders.pool.fetch(
        "SELECT o.client_order_id, f.price FROM fills f JOIN orders o USING (order_id) "
        "WHERE o.strategy_id = $1",
        d.strategy_id,
    )
    prices = {r["client_order_id"]: r["price"] for r in filled}
    assert prices == {o.client_order_id: opens[t] for t, by in expected.items() for o in by}
    position = await world.orders.pool.fetchrow(
        "SELECT side, quantity FROM positions WHERE account_id = $1 AND closed_ns IS NULL",
        account.account_id,
    )
    assert position is not None
    assert (position["side"], position["quantity"]) == ("SHORT", 1)
    assert [s.status for s in world.statuses(d)] == ["RUNNING"]
    (refused,) = world.log.caused_by(stranger.message_id)
    assert isinstance(refused.payload, StrategyControlRejected)
    assert refused.payload.reason == "UNKNOWN_STRATEGY"


async def test_a_strategy_that_raises_is_failed_and_the_other_keeps_trading(
    world: StrategyWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(BUILTINS, Raiser.NAME, Raiser)
    account, symbol = await world.orders.account(), unique_symbol()
    good = await world.crossover(account, symbol)
    bad = await world.crossover(
        account, symbol, code_ref=f"builtin:{Raiser.NAME}", parameters={"at": 5001}
    )
    bars = minute_bars(symbol, CLOSES)
    async with in_process(world.orders), worker_in_process(world) as worker:
        await world.started(good)
        await world.started(bad)
        await running(worker, good)
        await running(worker, bad)
        await feed_paced(world, good, bars, handled_by(worker, good))
        await world.log.wait_for(lambda: "FAILED" in [s.status for s in world.statuses(bad)])
        assert worker.failures == 0

    failed = world.statuses(bad)[-1]
    assert failed.error == "on_bar: RuntimeError: boom"
    info = await world.store.info(bad.strategy_id)
    assert info is not None
    assert (info.status, info.error) == ("FAILED", "on_bar: RuntimeError: boom")
    wanted = [o.client_order_id for by in expected_orders(good, bars).values() for o in by]
    assert await ledger_ids(world, good) == wanted and len(wanted) == 4
    assert await ledger_ids(world, bad) == []


async def test_stored_candles_make_the_first_live_bar_act(world: StrategyWorld) -> None:
    account, symbol = await world.orders.account(), unique_symbol()
    d = await world.crossover(account, symbol)
    bars = minute_bars(symbol, CLOSES[:6])
    await store(world, bars[:5])  # the market data engine stored these before the start
    (order,) = expected_orders(d, bars)[bars[5].open_time]
    async with in_process(world.orders), worker_in_process(world) as worker:
        await world.started(d)
        await running(worker, d)
        await publish(world, bars[5:])

        async def ordered() -> bool:
            return await ledger_ids(world, d) == [order.client_order_id]

        await until(ordered)
        assert worker.parts is not None and worker.parts.desk.slots[d.strategy_id].warmed


def _other(d: StrategyDefinition) -> StrategyDefinition:
    return replace(d, strategy_id=uuid.uuid4())
