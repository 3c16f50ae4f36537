"""A clean restart of the order processor process (SIGTERM, exit 0): working orders and open
positions come back from Postgres and keep working."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from pathlib import Path

import pytest

from tests.infra import Endpoints
from tests.integration.services.process import ServiceProcess
from tests.support.event_log import until
from tests.support.order_desk import order_row, rows, status_is
from tests.support.order_rig import unique_symbol
from tests.support.order_world import World, order_world, start_process

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]


@pytest.fixture
async def world(infra: Endpoints, unique: Callable[[str], str]) -> AsyncIterator[World]:
    async with order_world(infra, unique) as made:
        yield made


async def stop(process: ServiceProcess) -> int:
    return await asyncio.to_thread(process.terminate)


async def test_working_limits_and_open_positions_survive_a_clean_restart_and_keep_working(
    world: World, tmp_path: Path
) -> None:
    account, symbol, desk = await world.account(), unique_symbol(), world.desk
    entry = desk.submit(account, symbol, "BUY", 2)
    limit = desk.submit(
        account, symbol, "BUY", 1, order_type="LIMIT", limit_price="4490.00", time_in_force="GTC"
    )
    first = start_process(world, tmp_path / "first")
    try:
        await world.probe(account)
        await world.position_feed(symbol)
        await desk.send(entry)
        await world.answered(entry)
        await desk.trade(symbol, "4500.00")
        await until(status_is(world.pool, entry.message_id, "FILLED"))
        await desk.send(limit)
        assert (await world.answered(limit)).TYPE == "OrderAccepted"
        await desk.trade(symbol, "4495.00")  # seen by the limit, not through it
        await world.flush(symbol)
    finally:
        assert await stop(first) == 0, first.log_tail()
    before = await order_row(world.pool, limit.message_id)
    assert before is not None and (before["status"], before["fresh"]) == ("ACCEPTED", False)
    [opened] = await rows(world.pool, "positions", [account], "opened_ns")
    assert (opened["side"], opened["quantity"], opened["closed_ns"]) == ("LONG", 2, None)

    second = start_process(world, tmp_path / "second")
    try:
        await world.probe(account)
        await world.position_feed(symbol)
        await desk.trade(symbol, "4489.75")  # through the limit
        await until(status_is(world.pool, limit.message_id, "FILLED"))
        await desk.trade(symbol, "4489.50")  # through it again: it has nothing left
        exit_ = desk.submit(account, symbol, "SELL", 3)
        await world.flush(symbol)
        await desk.send(exit_)
        await world.answered(exit_)
        await desk.trade(symbol, "4510.00")
        await until(status_is(world.pool, exit_.message_id, "FILLED"))
    finally:
        assert await stop(second) == 0, second.log_tail()

    fills = await rows(world.pool, "fills", [account], "ts_ns")
    assert [(f["order_id"], f["price"], f["quantity"]) for f in fills] == [
        (entry.message_id, Decimal("4500.00"), 2),
        (limit.message_id, Decimal("4490.00"), 1),  # a resting limit fills at its price
        (exit_.message_id, Decimal("4510.00"), 3),
    ]
    [position] = await rows(world.pool, "positions", [account], "opened_ns")
    assert position["position_id"] == opened["position_id"]  # the restored one, continued
    assert (position["entry_quantity"], position["closed_quantity"]) == (3, 3)
    # (4510 - 4500) x 50 x 2 + (4510 - 4490) x 50 x 1, less 2.25 x 6 contract-sides
    assert position["gross_pnl"] == Decimal("2000.00")
    assert position["commissions"] == Decimal("13.50")
    assert position["closed_ns"] is not None
