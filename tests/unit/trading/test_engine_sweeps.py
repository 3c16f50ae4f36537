"""Engine: cancel all and flatten all for an account, a strategy, a symbol, or everything."""

from __future__ import annotations

from typing import Any

import pytest

from shared.messages.schemas.reasons import CancelReason
from shared.messages.schemas.risk import TradingState
from shared.trading.orders import OrderStatus
from tests.unit.trading.engine_support import (
    ACCOUNT,
    BUY,
    LIMIT,
    OTHER_ACCOUNT,
    OTHER_STRATEGY,
    OTHER_USER,
    SELL,
    STRATEGY,
    D,
    Harness,
    of,
    types,
)

NQ = "NQZ6"
OPERATOR = OTHER_USER


def book(h: Harness) -> None:
    """Working orders: two strategies and a manual one in ES, one in NQ, one of another user."""
    h.submit(BUY, 1, LIMIT, limit="4900", cid="s1", strategy=STRATEGY)
    h.submit(BUY, 1, LIMIT, limit="4900", cid="s2", strategy=OTHER_STRATEGY)
    h.submit(BUY, 1, LIMIT, limit="4900", cid="manual")
    h.submit(SELL, 1, LIMIT, limit="19000", cid="nq", symbol=NQ)
    h.submit(BUY, 1, LIMIT, limit="4900", cid="theirs", account=OTHER_ACCOUNT, user=OTHER_USER)


def working(h: Harness) -> set[str]:
    return {o.client_order_id for o in h.st.book.all_working()}


ALL = {"s1", "s2", "manual", "nq", "theirs"}


@pytest.mark.parametrize(
    ("scope", "gone"),
    [
        ({"account_id": ACCOUNT}, {"s1", "s2", "manual", "nq"}),
        ({"account_id": ACCOUNT, "strategy_id": STRATEGY}, {"s1"}),
        ({"account_id": ACCOUNT, "symbol": NQ}, {"nq"}),
        ({"user_id": OPERATOR}, ALL),
    ],
)
def test_cancel_all_cancels_the_working_orders_of_its_scope_only(
    scope: dict[str, Any], gone: set[str]
) -> None:
    h = Harness()
    book(h)

    events = h.cancel_all(**scope)

    canceled = of(events, "OrderCanceled")
    assert {p.client_order_id for p in canceled} == gone
    assert all(p.reason is CancelReason.REQUESTED for p in canceled)
    assert working(h) == ALL - gone


def positions(h: Harness) -> None:
    """Account: long 2 ES (1 per strategy) and short 1 NQ; the other account long 1 ES."""
    h.submit(BUY, 1, cid="b1", strategy=STRATEGY)
    h.submit(BUY, 1, cid="b2", strategy=OTHER_STRATEGY)
    h.submit(SELL, 1, cid="n1", symbol=NQ)
    h.submit(BUY, 1, cid="x1", account=OTHER_ACCOUNT, user=OTHER_USER)
    h.trade("5000")
    h.trade("19000", symbol=NQ)
    assert (h.net(), h.net(symbol=NQ), h.net(OTHER_ACCOUNT)) == (2, -1, 1)


def test_flatten_all_of_an_account_cancels_its_orders_and_closes_its_positions() -> None:
    h = Harness()
    positions(h)
    h.submit(BUY, 1, LIMIT, limit="4900", cid="rest")

    events = h.flatten_all(account_id=ACCOUNT)

    assert types(events) == ["OrderCanceled", "OrderAccepted", "OrderAccepted"]
    assert of(events, "OrderCanceled")[0].reason is CancelReason.EMERGENCY_STOP
    flatten = of(events, "OrderAccepted")
    assert {(p.symbol, p.side, p.quantity) for p in flatten} == {
        ("ESZ6", SELL, D(2)),
        (NQ, BUY, D(1)),
    }
    assert all(p.reduce_only and p.order_type == "MARKET" for p in flatten)

    closed = of(h.trade("4990") + h.trade("19010", symbol=NQ), "PositionClosed")

    assert {p.symbol for p in closed} == {"ESZ6", NQ}
    assert (h.net(), h.net(symbol=NQ)) == (0, 0)
    assert h.net(OTHER_ACCOUNT) == 1  # another account is left alone
    assert not working(h)


def test_flatten_all_of_a_strategy_closes_only_what_that_strategy_holds() -> None:
    h = Harness()
    positions(h)

    flatten = of(h.flatten_all(account_id=ACCOUNT, strategy_id=STRATEGY), "OrderAccepted")

    assert [(p.symbol, p.side, p.quantity, p.strategy_id) for p in flatten] == [
        ("ESZ6", SELL, D(1), STRATEGY)
    ]
    h.trade("4990")
    assert h.net() == 1
    assert h.st.exposure.net((ACCOUNT, STRATEGY), "ESZ6") == 0


def test_flatten_all_for_the_platform_closes_every_account() -> None:
    h = Harness()
    positions(h)

    flatten = of(h.flatten_all(user_id=OPERATOR), "OrderAccepted")
    h.trade("4990")
    h.trade("19010", symbol=NQ)

    assert len(flatten) == 3
    assert h.st.positions.open_positions() == []


def test_flatten_all_works_while_halted_and_can_leave_working_orders() -> None:
    h = Harness()
    positions(h)
    h.submit(SELL, 2, LIMIT, limit="5100", reduce_only=True, cid="tp")
    h.submit(BUY, 1, LIMIT, limit="4900", cid="rest")
    h.set_state(TradingState.HALTED)

    events = h.flatten_all(account_id=ACCOUNT, cancel_working=False)

    assert types(events) == ["OrderAccepted", "OrderAccepted"]
    canceled = of(h.trade("4990"), "OrderCanceled")
    assert [(p.client_order_id, p.reason) for p in canceled] == [("tp", CancelReason.RISK)]
    assert h.order("rest").is_working
    assert h.net() == 0


def test_a_second_flatten_while_the_first_works_never_flips_the_position() -> None:
    h = Harness()
    positions(h)
    h.flatten_all(account_id=ACCOUNT, symbol="ESZ6")
    h.flatten_all(account_id=ACCOUNT, symbol="ESZ6")

    events = h.trade("4990")

    assert len(of(events, "OrderFilled")) == 1
    assert h.net() == 0
    assert not working(h)


def test_flatten_orders_go_to_the_ledger_as_filled_orders() -> None:
    h = Harness()
    positions(h)
    h.engine.take_changes()
    h.flatten_all(account_id=ACCOUNT)
    h.trade("4990")
    h.trade("19010", symbol=NQ)

    changes = h.engine.take_changes()

    flatten = [o for o in changes.orders.values() if o.tag == "flatten"]
    assert len(flatten) == 2
    assert all(o.status is OrderStatus.FILLED for o in flatten)
    assert {f.order_id for f in changes.fills} == {o.order_id for o in flatten}


@pytest.mark.parametrize("sweep", ["cancel_all", "flatten_all"])
def test_another_users_sweep_of_an_account_is_refused_and_changes_nothing(sweep: str) -> None:
    h = Harness()
    book(h)
    before = working(h)
    events = getattr(h, sweep)(account_id=ACCOUNT, user_id=OTHER_USER)
    assert types(events) == ["OrderRejected"]
    refused = of(events, "OrderRejected")[0]
    assert (refused.command, refused.reason) == ("SWEEP", "NOT_AUTHORIZED")
    assert working(h) == before
