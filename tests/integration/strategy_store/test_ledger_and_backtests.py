"""A strategy's fills and working orders read from ledger rows; stored backtest jobs."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from shared.db.strategies import BacktestStatus
from shared.messages.schemas.common import OrderSide
from shared.strategy.definition import StrategyDefinition
from tests.integration.strategy_store.conftest import T0, Place

pytestmark = pytest.mark.integration

_ORDER = (
    "INSERT INTO orders (order_id, account_id, user_id, client_order_id, symbol, side, "
    "order_type, time_in_force, quantity, reduce_only, strategy_id, strategy_version, status, "
    "filled_quantity, created_ns, updated_ns) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, 'GTC', $8, $9, $10, $11, $12, $13, $14, $14)"
)
_FILL = (
    "INSERT INTO fills (fill_id, order_id, account_id, user_id, symbol, side, price, quantity, "
    "commission, currency, ts_ns, venue_trade_id, strategy_id, strategy_version) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'USD', $10, $11, $12, $13)"
)


async def order(  # noqa: PLR0917 -- one ledger row's facts
    place: Place,
    d: StrategyDefinition | None,
    account: tuple[uuid.UUID, uuid.UUID],
    client_order_id: str,
    side: str,
    quantity: int,
    *,
    status: str,
    filled: int = 0,
    kind: str = "MARKET",
    reduce_only: bool = False,
    created: int = T0,
) -> uuid.UUID:
    order_id = uuid.uuid4()
    await place.pool.execute(
        _ORDER, order_id, *account, client_order_id, "ESZ6", side, kind, Decimal(quantity),
        reduce_only, d and d.strategy_id, d and d.version, status, Decimal(filled), created,
    )  # fmt: skip
    return order_id


async def fill(  # noqa: PLR0917 -- one fill's facts
    place: Place, order_id: uuid.UUID, d: StrategyDefinition, side: str, qty: int, price: str,
    ts: int,
) -> uuid.UUID:  # fmt: skip
    fill_id = uuid.uuid4()
    await place.pool.execute(
        _FILL, fill_id, order_id, d.account_id, d.user_id, "ESZ6", side, Decimal(price),
        Decimal(qty), Decimal("2.25") * qty, ts, f"t{ts}", d.strategy_id, d.version,
    )  # fmt: skip
    return fill_id


async def test_fills_come_back_oldest_first_with_running_quantities(place: Place) -> None:
    account = await place.account()
    d = await place.crossover(account)
    other = await place.crossover(account)
    owner = (account.account_id, account.user_id)
    buy = await order(place, d, owner, "s-1-a-1", "BUY", 3, status="FILLED", filled=3)
    sell = await order(place, d, owner, "s-1-b-1", "SELL", 2, status="PARTIALLY_FILLED", filled=1)
    theirs = await order(place, other, owner, "o-1-a-1", "BUY", 1, status="FILLED", filled=1)
    await order(place, None, owner, "manual-1", "BUY", 1, status="FILLED", filled=1)
    first = await fill(place, buy, d, "BUY", 2, "5000.25", T0 + 1)
    second = await fill(place, buy, d, "BUY", 1, "5000.50", T0 + 2)
    third = await fill(place, sell, d, "SELL", 1, "5010.00", T0 + 3)
    await fill(place, theirs, other, "BUY", 1, "4000.00", T0 + 1)

    fills = await place.store.fills(d.strategy_id)

    assert [f.fill_id for f in fills] == [first, second, third]
    assert [(f.client_order_id, f.side, f.quantity, f.cum_quantity, f.leaves_quantity)
            for f in fills] == [
        ("s-1-a-1", OrderSide.BUY, 2, 2, 1),
        ("s-1-a-1", OrderSide.BUY, 1, 3, 0),
        ("s-1-b-1", OrderSide.SELL, 1, 1, 1),
    ]  # fmt: skip
    assert fills[0].price == Decimal("5000.25") and fills[0].commission == Decimal("4.50")
    assert {(f.strategy_id, f.strategy_version, f.order_id) for f in fills[:2]} == {
        (d.strategy_id, 1, buy)
    }
    assert await place.store.fills(uuid.uuid4()) == []


async def test_working_orders_are_the_strategys_open_ones_with_signed_leaves(
    place: Place,
) -> None:
    account = await place.account()
    d = await place.crossover(account)
    owner = (account.account_id, account.user_id)
    await order(place, d, owner, "s-1-a-1", "BUY", 2, status="FILLED", filled=2)
    await order(place, d, owner, "s-1-b-1", "SELL", 3, status="PARTIALLY_FILLED", filled=1,
                created=T0 + 1)  # fmt: skip
    await order(place, d, owner, "s-1-c-1", "BUY", 1, status="ACCEPTED", kind="LIMIT",
                created=T0 + 2)  # fmt: skip
    await order(place, d, owner, "s-1-d-1", "SELL", 1, status="TRIGGERED", kind="STOP",
                reduce_only=True, created=T0 + 3)  # fmt: skip
    await order(place, d, owner, "s-1-e-1", "BUY", 1, status="CANCELED", created=T0 + 4)

    working = await place.store.working_orders(d.strategy_id)

    assert working == [
        ("s-1-b-1", "ESZ6", Decimal(-2), True, False),
        ("s-1-c-1", "ESZ6", Decimal(1), False, False),
        ("s-1-d-1", "ESZ6", Decimal(-1), False, True),
    ]


async def test_a_backtest_job_is_queued_run_and_finished_once(place: Place) -> None:
    account = await place.account()
    d = await place.crossover(account)
    backtest_id = uuid.uuid4()
    request = {"symbols": ["ESZ6"], "timeframe": "1m", "initial_capital": "100000"}
    job = {"backtest_id": backtest_id, "user_id": account.user_id,
           "account_id": account.account_id, "strategy_id": d.strategy_id, "version": 1,
           "request": request}  # fmt: skip

    queued = await place.store.create_backtest(**job, ts_ns=T0)
    again = await place.store.create_backtest(**job, ts_ns=T0 + 5)
    assert queued == again
    assert (queued.status, queued.request, queued.created_at_ns) == (
        BacktestStatus.QUEUED,
        request,
        T0,
    )
    assert await place.store.start_backtest(backtest_id, T0 + 1)
    assert not await place.store.start_backtest(backtest_id, T0 + 2)

    summary = {"net_profit": "1041.00", "trades": 1}
    trades = [{"entry_price": "5000.25", "exit_price": "5010.75", "pnl": "1041.00"}]
    equity = [[T0, "100000"], [T0 + 60, "101041.00"]]
    done = await place.store.finish_backtest(
        backtest_id, BacktestStatus.COMPLETED, summary, trades, equity, None, T0 + 3
    )
    late = await place.store.finish_backtest(
        backtest_id, BacktestStatus.FAILED, None, None, None, "late", T0 + 4
    )

    assert (done, late) == (True, False)
    stored = await place.store.backtest(backtest_id, account.user_id)
    assert stored is not None
    assert (stored.status, stored.summary, stored.trades, stored.equity, stored.error) == (
        BacktestStatus.COMPLETED,
        summary,
        trades,
        equity,
        None,
    )
    assert (stored.started_at_ns, stored.finished_at_ns) == (T0 + 1, T0 + 3)
    assert await place.store.backtest(backtest_id, uuid.uuid4()) is None
    assert [b.backtest_id for b in await place.store.backtests(account.user_id)] == [backtest_id]


async def test_a_backtest_of_another_users_strategy_or_an_unknown_version_is_refused(
    place: Place,
) -> None:
    mine, theirs = await place.account(), await place.account()
    d = await place.crossover(mine)

    with pytest.raises(ValueError, match="not found for user"):
        await place.store.create_backtest(
            backtest_id=uuid.uuid4(), user_id=theirs.user_id, account_id=theirs.account_id,
            strategy_id=d.strategy_id, version=1, request={}, ts_ns=T0,
        )  # fmt: skip
    with pytest.raises(ValueError, match="version 2 not found"):
        await place.store.create_backtest(
            backtest_id=uuid.uuid4(), user_id=mine.user_id, account_id=mine.account_id,
            strategy_id=d.strategy_id, version=2, request={}, ts_ns=T0,
        )  # fmt: skip
    assert await place.store.backtests(mine.user_id) == []


async def test_a_failed_backtest_keeps_its_error(place: Place) -> None:
    account = await place.account()
    d = await place.crossover(account)
    backtest_id = uuid.uuid4()
    await place.store.create_backtest(
        backtest_id=backtest_id, user_id=account.user_id, account_id=account.account_id,
        strategy_id=d.strategy_id, version=1, request={"timeframe": "1m"},
    )  # fmt: skip

    await place.store.finish_backtest(
        backtest_id, BacktestStatus.FAILED, None, None, None, "no bars in the period"
    )

    stored = await place.store.backtest(backtest_id, account.user_id)
    assert stored is not None
    assert (stored.status, stored.error, stored.summary) == (
        BacktestStatus.FAILED,
        "no bars in the period",
        None,
    )
    assert stored.finished_at_ns is not None
