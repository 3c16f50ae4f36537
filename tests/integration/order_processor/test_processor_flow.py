"""The order processor in process over real Kafka and Postgres: an order's whole life, and
commands that arrive twice."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.infra import Endpoints
from tests.support.event_log import EventLog, until
from tests.support.order_desk import order_row, rows, status_is
from tests.support.order_rig import AccountRef, unique_symbol
from tests.support.order_world import World, in_process, order_world

pytestmark = pytest.mark.integration

ES_COMMISSION = Decimal("2.25")


def closes(log: EventLog, account: AccountRef) -> list[Any]:
    return [p for p in log.payloads("PositionClosed") if p.account_id == account.account_id]


@pytest.fixture
async def world(infra: Endpoints, unique: Callable[[str], str]) -> AsyncIterator[World]:
    async with order_world(infra, unique) as made:
        yield made


async def test_an_order_is_accepted_filled_opens_a_position_and_a_close_realizes_pnl_to_the_cent(
    world: World,
) -> None:
    account, symbol, desk, log = await world.account(), unique_symbol(), world.desk, world.log
    async with in_process(world) as runner:
        await world.probe(account)
        await world.position_feed(symbol)
        buy = desk.submit(account, symbol, "BUY", 2)
        await desk.send(buy)
        accepted = await world.answered(buy)
        assert accepted.TYPE == "OrderAccepted"
        assert (accepted.order_id, accepted.quantity) == (buy.message_id, Decimal(2))
        await desk.trade(symbol, "5000.25")
        await until(status_is(world.pool, buy.message_id, "FILLED"))
        sell = desk.submit(account, symbol, "SELL", 2)
        await desk.send(sell)
        assert (await world.answered(sell)).TYPE == "OrderAccepted"
        await desk.trade(symbol, "5010.75")
        await log.wait_for(lambda: bool(closes(log, account)))
        assert runner.failures == 0

    ours = [p for p in log.payloads("OrderFilled") if p.account_id == account.account_id]
    assert [(f.order_id, f.side, f.price, f.quantity) for f in ours] == [
        (buy.message_id, "BUY", Decimal("5000.25"), Decimal(2)),
        (sell.message_id, "SELL", Decimal("5010.75"), Decimal(2)),
    ]
    assert all(f.commission == 2 * ES_COMMISSION and f.leaves_quantity == 0 for f in ours)
    [opened] = [p for p in log.payloads("PositionOpened") if p.account_id == account.account_id]
    assert (opened.side, opened.quantity, opened.avg_entry_price) == ("LONG", 2, Decimal("5000.25"))
    assert opened.realized_pnl == -2 * ES_COMMISSION
    [closed] = closes(log, account)
    assert closed.position_id == opened.position_id
    # (5010.75 - 5000.25) x $50 x 2 contracts, less 2.25 per contract per side
    assert closed.gross_pnl == Decimal("1050.00")
    assert closed.commissions == Decimal("9.00")
    assert closed.realized_pnl == Decimal("1041.00")
    assert closed.avg_exit_price == Decimal("5010.75")

    orders = await rows(world.pool, "orders", [account], "created_ns, client_order_id")
    ledger = {r["order_id"]: r for r in orders}
    for order in (buy, sell):
        row = ledger[order.message_id]
        assert (row["status"], row["filled_quantity"], row["symbol"]) == ("FILLED", 2, symbol)
    fills = await rows(world.pool, "fills", [account], "ts_ns")
    assert [(r["order_id"], r["price"], r["quantity"], r["commission"]) for r in fills] == [
        (buy.message_id, Decimal("5000.25"), 2, Decimal("4.50")),
        (sell.message_id, Decimal("5010.75"), 2, Decimal("4.50")),
    ]
    assert {r["fill_id"] for r in fills} == {f.fill_id for f in ours}
    [position] = await rows(world.pool, "positions", [account], "opened_ns")
    assert position["position_id"] == closed.position_id
    assert (position["side"], position["quantity"], position["closed_quantity"]) == ("LONG", 0, 2)
    assert position["gross_pnl"] - position["commissions"] == Decimal("1041.00")
    assert position["closed_ns"] is not None and position["lots"] == []


async def test_a_command_sent_twice_or_repeated_under_a_new_id_has_one_outcome_and_one_order(
    world: World,
) -> None:
    account, symbol, desk, log = await world.account(), unique_symbol(), world.desk, world.log
    async with in_process(world) as runner:
        await world.probe(account)
        await world.position_feed(symbol)
        first = desk.submit(account, symbol, "BUY", 1, client_order_id="dup-1")
        await desk.send(first, first)  # the same envelope twice: one message id
        await world.answered(first)
        await desk.trade(symbol, "4200.50")
        await until(status_is(world.pool, first.message_id, "FILLED"))
        before = await order_row(world.pool, first.message_id)
        again = desk.submit(account, symbol, "BUY", 1, client_order_id="dup-1")
        await desk.send(again)
        repeated = await world.answered(again)
        # a rejected order answers a repeat with its rejection
        refused = desk.submit(
            account,
            symbol,
            "BUY",
            1,
            client_order_id="dup-2",
            order_type="LIMIT",
            limit_price="4200.10",
        )
        await desk.send(refused)
        assert (await world.answered(refused)).reason == "INVALID_PRICE_TICK"
        refused_again = desk.submit(account, symbol, "BUY", 1, client_order_id="dup-2")
        await desk.send(refused_again, refused_again)
        repeated_refusal = await world.answered(refused_again)
        barrier = await world.probe(account)  # handled after all of the above
        await world.flush(symbol)
        assert runner.failures == 0

    assert len({e.message_id for e in world.outcomes(first.message_id)}) == 1
    assert repeated.TYPE == "OrderAccepted" and repeated.order_id == first.message_id
    assert len({e.message_id for e in world.outcomes(again.message_id)}) == 1
    assert repeated_refusal.TYPE == "OrderRejected"
    assert repeated_refusal.order_id == refused.message_id
    assert repeated_refusal.reason == "INVALID_PRICE_TICK"
    assert len({e.message_id for e in world.outcomes(refused_again.message_id)}) == 1
    assert world.outcomes(barrier.message_id)
    orders = await rows(world.pool, "orders", [account], "created_ns")
    ids = [r["order_id"] for r in orders if r["client_order_id"] in {"dup-1", "dup-2"}]
    assert sorted(ids) == sorted([first.message_id, refused.message_id])
    assert await order_row(world.pool, first.message_id) == before  # nothing changed
    fills = await rows(world.pool, "fills", [account], "ts_ns")
    assert [r["order_id"] for r in fills] == [first.message_id]
    filled = [p for p in log.payloads("OrderFilled") if p.account_id == account.account_id]
    assert len({p.fill_id for p in filled}) == 1
