"""The slots follow the store and the partitions held; books come back from the ledger."""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal

from shared.bus.types import AnyEnvelope
from shared.db.strategies import StrategyStatus
from shared.messages.schemas.order_events import OrderFilled
from shared.messages.schemas.orders import SubmitOrder
from shared.messages.schemas.strategy import Signal, StrategyStatusChanged
from shared.strategy.definition import StrategyDefinition
from strategy_workers.runtime.feeding import on_bar
from strategy_workers.runtime.sync import sync
from tests.service.strategy_workers.fakes import (
    SYMBOL,
    Rig,
    bar_envelope,
    bars,
    definition,
    payloads,
    rig,
)

PARTITION = {"ESZ6": 0, "NQZ6": 1}


async def synced(r: Rig) -> list[AnyEnvelope]:
    async with r.desk.lock:
        return await sync(r.desk)


async def test_a_worker_runs_the_strategies_of_the_partitions_it_holds():
    r = rig(held=(0,))
    r.desk.place = PARTITION.__getitem__
    es, nq = definition(), definition(subscriptions=(("NQZ6", "1m"), ("ESZ6", "1m")))
    r.store.add(es, StrategyStatus.RUNNING)
    r.store.add(nq, StrategyStatus.RUNNING)
    await synced(r)
    assert set(r.desk.slots) == {es.strategy_id}  # nq's home symbol lives elsewhere
    r.desk.held = {0, 1}
    await synced(r)
    assert set(r.desk.slots) == {es.strategy_id, nq.strategy_id}


async def test_a_strategy_whose_symbol_moved_away_is_dropped_without_stopping(test_strategies):
    r, d = rig(held=(0,)), definition(code_ref=test_strategies["always_buy"], parameters={})
    r.store.add(d, StrategyStatus.RUNNING)
    await synced(r)
    r.desk.held = set()
    assert await synced(r) == []  # no on_stop: the strategy goes on where the symbol went
    assert r.desk.slots == {}


async def test_a_strategy_stopped_in_the_store_is_stopped_here(test_strategies):
    r, d = rig(), definition(code_ref=test_strategies["always_buy"], parameters={})
    r.store.add(d, StrategyStatus.RUNNING)
    await synced(r)
    r.store.entries[d.strategy_id].status = StrategyStatus.STOPPED
    r.store.changes += 1
    (stopped,) = payloads(await synced(r), Signal)
    assert stopped.reason == "stopped"
    assert r.desk.slots == {}


async def test_a_new_version_replaces_the_running_one(test_strategies):
    r, d = rig(), definition(code_ref=test_strategies["always_buy"], parameters={})
    r.store.add(d, StrategyStatus.RUNNING)
    await synced(r)
    second = replace(d, version=2)
    r.store.add(second, StrategyStatus.RUNNING)
    made = await synced(r)
    assert [p.reason for p in payloads(made, Signal)] == ["stopped"]  # version 1's on_stop
    assert r.desk.slots[d.strategy_id].definition.version == 2


async def test_a_strategy_that_cannot_start_fails_and_the_others_start(test_strategies):
    r, good = rig(), definition()
    bad = definition(code_ref=test_strategies["raiser"], parameters={"fail_in": "on_start"})
    r.store.add(good, StrategyStatus.RUNNING)
    r.store.add(bad, StrategyStatus.RUNNING)
    (failed,) = payloads(await synced(r), StrategyStatusChanged)
    assert (failed.strategy_id, failed.error) == (
        bad.strategy_id,
        "on_start: RuntimeError: cannot start",
    )
    assert set(r.desk.slots) == {good.strategy_id}
    assert r.store.entries[bad.strategy_id].status is StrategyStatus.FAILED


def ledger_fill(d: StrategyDefinition, client_order_id: str, quantity: int) -> OrderFilled:
    return OrderFilled(
        account_id=d.account_id, user_id=d.user_id, order_id=uuid.uuid4(),
        client_order_id=client_order_id, symbol=SYMBOL, strategy_id=d.strategy_id,
        strategy_version=d.version, fill_id=uuid.uuid4(), side="BUY",
        price=Decimal("5000"), quantity=Decimal(quantity), commission=Decimal(0),
        commission_currency="USD", cum_quantity=Decimal(quantity), leaves_quantity=Decimal(0),
    )  # fmt: skip


async def test_the_book_comes_back_from_the_ledger_fills_and_working_orders():
    r, d = rig(), definition()
    r.store.add(d, StrategyStatus.RUNNING)
    r.store.fills_of[d.strategy_id] = [ledger_fill(d, "a", 2), ledger_fill(d, "b", 1)]
    r.store.working_of[d.strategy_id] = [("c", SYMBOL, Decimal(-1), True, False)]
    await synced(r)
    ctx = r.desk.slots[d.strategy_id].runner.ctx
    assert (ctx.position(SYMBOL), ctx.intended(SYMBOL)) == (Decimal(3), Decimal(2))
    assert ctx.working_orders() == ["c"]


async def test_an_order_asked_again_on_a_replayed_bar_keeps_its_ledger_state(test_strategies):
    d = definition(code_ref=test_strategies["always_buy"], parameters={})
    first = rig()
    first.store.add(d, StrategyStatus.RUNNING)
    await synced(first)
    bar = bars([5000, 5001])[1]
    async with first.desk.lock:
        (sent,) = payloads(await on_bar(first.desk, bar_envelope(bar)), SubmitOrder)
    # a new worker finds that order filled in the ledger, then handles the same bar again
    second = rig()
    second.store.add(d, StrategyStatus.RUNNING)
    second.store.fills_of[d.strategy_id] = [ledger_fill(d, sent.client_order_id, 1)]
    await synced(second)
    async with second.desk.lock:
        (again,) = payloads(await on_bar(second.desk, bar_envelope(bar)), SubmitOrder)
    ctx = second.desk.slots[d.strategy_id].runner.ctx
    assert again.client_order_id == sent.client_order_id
    assert (ctx.position(SYMBOL), ctx.intended(SYMBOL)) == (Decimal(1), Decimal(1))
    assert ctx.working_orders() == []
