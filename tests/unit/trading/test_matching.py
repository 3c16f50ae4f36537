"""Paper exchange fill rules: market and limit orders, quantities, refusals, purity."""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from shared.messages.schemas.common import OrderSide, OrderType, TimeInForce
from shared.trading.matching import FillConfig, LimitFill, MarketPoint, Match, match
from shared.trading.orders import Order, OrderStatus

D = Decimal
TICK = D("0.25")
BUY, SELL = OrderSide.BUY, OrderSide.SELL
PLAIN = FillConfig()
SLIP2 = FillConfig(slippage_ticks=2)
TOUCH = FillConfig(limit_fill=LimitFill.TOUCH)
PARTIAL = FillConfig(partial_fills=True)


def order_of(
    kind: OrderType,
    side: OrderSide,
    *,
    quantity: str = "3",
    limit: str | None = None,
    stop: str | None = None,
    fresh: bool = False,
    triggered: bool = False,
    status: OrderStatus = OrderStatus.ACCEPTED,
) -> Order:
    """A working order on ESZ5."""
    return Order(
        order_id=uuid.UUID(int=1),
        account_id=uuid.UUID(int=2),
        user_id=uuid.UUID(int=3),
        client_order_id="c-1",
        symbol="ESZ5",
        side=side,
        order_type=kind,
        quantity=D(quantity),
        time_in_force=TimeInForce.GTC,
        created_ns=0,
        limit_price=None if limit is None else D(limit),
        stop_price=None if stop is None else D(stop),
        status=status,
        fresh=fresh,
        triggered=triggered,
    )


def trade(price: str, size: str = "10", trade_id: str = "t-1") -> MarketPoint:
    """A live trade: not continuous with the one before."""
    return MarketPoint(D(price), D(size), trade_id, 1_000)


def seg(price: str, size: str = "10", trade_id: str = "b-1") -> MarketPoint:
    """A point on a bar's path after its open: reached continuously from the previous one."""
    return MarketPoint(D(price), D(size), trade_id, 2_000, continuous=True)


def market(side: OrderSide, **kw: Any) -> Order:
    return order_of(OrderType.MARKET, side, **kw)


def limit(side: OrderSide, price: str, **kw: Any) -> Order:
    return order_of(OrderType.LIMIT, side, limit=price, **kw)


def test_market_buy_fills_at_trade_price_plus_slippage() -> None:
    assert match(market(BUY), trade("100"), D("99"), TICK, SLIP2) == Match(False, D("100.5"), D(3))


def test_market_sell_fills_at_trade_price_minus_slippage() -> None:
    assert match(market(SELL), trade("100"), None, TICK, SLIP2) == Match(False, D("99.5"), D(3))


def test_market_without_slippage_fills_at_the_trade_price() -> None:
    assert match(market(SELL), trade("100.75"), None, TICK, PLAIN) == Match(
        False, D("100.75"), D(3)
    )


@pytest.mark.parametrize(
    ("side", "price", "fill"), [(BUY, "100.1", "100.5"), (SELL, "100.1", "99.75")]
)
def test_off_grid_market_price_is_rounded_against_the_order_before_slippage(
    side: OrderSide, price: str, fill: str
) -> None:
    result = match(market(side), trade(price), None, TICK, FillConfig(slippage_ticks=1))
    assert result == Match(False, D(fill), D(3))


@pytest.mark.parametrize(("side", "at"), [(BUY, "100"), (SELL, "100")])
def test_limit_touched_does_not_fill_when_it_must_trade_through(side: OrderSide, at: str) -> None:
    assert match(limit(side, "100"), trade(at), None, TICK, PLAIN) is None


@pytest.mark.parametrize("side", [BUY, SELL])
def test_limit_touched_fills_at_the_limit_with_touch_fills(side: OrderSide) -> None:
    assert match(limit(side, "100"), trade("100"), None, TICK, TOUCH) == Match(False, D(100), D(3))


@pytest.mark.parametrize(("side", "at"), [(BUY, "100.25"), (SELL, "99.75")])
def test_limit_on_the_wrong_side_does_not_fill_even_with_touch(side: OrderSide, at: str) -> None:
    assert match(limit(side, "100"), trade(at), None, TICK, TOUCH) is None


@pytest.mark.parametrize(("side", "at"), [(BUY, "99.75"), (SELL, "100.25")])
def test_resting_limit_traded_through_fills_at_the_limit(side: OrderSide, at: str) -> None:
    assert match(limit(side, "100"), trade(at), D(100), TICK, SLIP2) == Match(False, D(100), D(3))


@pytest.mark.parametrize(("side", "at"), [(BUY, "98.5"), (SELL, "101.5")])
def test_fresh_marketable_limit_fills_at_the_better_market_price(side: OrderSide, at: str) -> None:
    result = match(limit(side, "100", fresh=True), trade(at), None, TICK, SLIP2)
    assert result == Match(False, D(at), D(3))


@pytest.mark.parametrize(("side", "at", "fill"), [(BUY, "99.9", "100"), (SELL, "100.1", "100")])
def test_fresh_limit_off_grid_price_rounds_toward_the_limit_never_past_it(
    side: OrderSide, at: str, fill: str
) -> None:
    result = match(limit(side, "100", fresh=True), trade(at), None, TICK, PLAIN)
    assert result == Match(False, D(fill), D(3))


@pytest.mark.parametrize(("side", "prev", "at"), [(BUY, "101", "99"), (SELL, "99", "101")])
def test_bar_segment_through_a_resting_limit_fills_at_the_limit(
    side: OrderSide, prev: str, at: str
) -> None:
    assert match(limit(side, "100"), seg(at), D(prev), TICK, PLAIN) == Match(False, D(100), D(3))


@pytest.mark.parametrize(("side", "prev", "at"), [(BUY, "101", "99"), (SELL, "99", "101")])
def test_fresh_limit_crossed_by_a_bar_segment_fills_at_the_limit(
    side: OrderSide, prev: str, at: str
) -> None:
    result = match(limit(side, "100", fresh=True), seg(at), D(prev), TICK, PLAIN)
    assert result == Match(False, D(100), D(3))


def test_partial_fills_take_at_most_the_traded_size() -> None:
    assert match(market(BUY), trade("100", size="2"), None, TICK, PARTIAL) == Match(
        False, D(100), D(2)
    )


def test_partial_fills_take_no_more_than_the_order_has_left() -> None:
    order = market(SELL, quantity="5")
    order.record_fill("t-0", D(100), D(4), 1)
    assert match(order, trade("100", size="9"), None, TICK, PARTIAL) == Match(False, D(100), D(1))


def test_zero_size_point_fills_nothing_with_partial_fills() -> None:
    assert match(market(BUY), trade("100", size="0"), None, TICK, PARTIAL) is None
    assert match(limit(BUY, "101"), trade("100", size="0"), None, TICK, PARTIAL) is None


def test_sizes_are_ignored_without_partial_fills() -> None:
    assert match(market(BUY), trade("100", size="0"), None, TICK, PLAIN) == Match(
        False, D(100), D(3)
    )


def test_point_of_a_trade_that_already_filled_the_order_does_nothing() -> None:
    order = market(BUY, quantity="5")
    order.record_fill("t-1", D(100), D(2), 1)
    assert match(order, trade("100", trade_id="t-1"), None, TICK, PLAIN) is None
    assert match(order, trade("100", trade_id="t-2"), None, TICK, PLAIN) == Match(
        False, D(100), D(3)
    )


@pytest.mark.parametrize(
    "status", [None, OrderStatus.FILLED, OrderStatus.CANCELED, OrderStatus.EXPIRED]
)
def test_order_that_is_not_working_never_fills(status: OrderStatus | None) -> None:
    order = market(BUY)
    order.status = status
    assert match(order, trade("100"), None, TICK, PLAIN) is None


def test_limit_order_without_a_limit_price_is_a_bug() -> None:
    with pytest.raises(ValueError, match="no limit price"):
        match(order_of(OrderType.LIMIT, BUY), trade("100"), None, TICK, PLAIN)


def test_match_leaves_the_order_untouched() -> None:
    order = limit(BUY, "100", fresh=True)
    before = replace(order, trade_ids=set(order.trade_ids))
    assert match(order, trade("99"), None, TICK, PLAIN) is not None
    fields = ("status", "filled_quantity", "notional_filled", "triggered", "fresh", "trade_ids")
    assert all(getattr(order, f) == getattr(before, f) for f in fields)
