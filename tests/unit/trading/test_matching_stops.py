"""Paper exchange fill rules: stops and stop-limits, triggered by trades, bar opens and paths."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from shared.messages.schemas.common import OrderSide, OrderType
from shared.trading.matching import FillConfig, LimitFill, Match, match
from shared.trading.orders import Order
from tests.unit.trading.test_matching import (
    BUY,
    PARTIAL,
    PLAIN,
    SELL,
    SLIP2,
    TICK,
    TOUCH,
    order_of,
    seg,
    trade,
)

D = Decimal


def stop(side: OrderSide, price: str, **kw: Any) -> Order:
    return order_of(OrderType.STOP, side, stop=price, **kw)


def stop_limit(side: OrderSide, stop_at: str, limit_at: str, **kw: Any) -> Order:
    return order_of(OrderType.STOP_LIMIT, side, stop=stop_at, limit=limit_at, **kw)


@pytest.mark.parametrize(("side", "at"), [(BUY, "99.75"), (SELL, "100.25")])
def test_stop_short_of_its_price_does_not_trigger(side: OrderSide, at: str) -> None:
    assert match(stop(side, "100"), trade(at), D(100), TICK, SLIP2) is None


@pytest.mark.parametrize(("side", "at", "fill"), [(BUY, "100", "100.5"), (SELL, "100", "99.5")])
def test_stop_touched_by_a_trade_triggers_and_fills_there_plus_slippage(
    side: OrderSide, at: str, fill: str
) -> None:
    assert match(stop(side, "100"), trade(at), None, TICK, SLIP2) == Match(True, D(fill), D(3))


@pytest.mark.parametrize(("side", "at", "fill"), [(BUY, "101", "101.5"), (SELL, "99", "98.5")])
def test_stop_a_trade_jumps_past_fills_at_the_trade_price_plus_slippage(
    side: OrderSide, at: str, fill: str
) -> None:
    result = match(stop(side, "100"), trade(at), D(100), TICK, SLIP2)
    assert result == Match(True, D(fill), D(3))


@pytest.mark.parametrize(("side", "prev", "at"), [(BUY, "99", "102"), (SELL, "101", "98")])
def test_stop_a_bar_opens_beyond_fills_at_the_open_plus_slippage(
    side: OrderSide, prev: str, at: str
) -> None:
    opening = trade(at, trade_id="ESZ5:bar:0:0")  # a bar's open is not continuous
    fill = D(at) + (D("0.5") if side is BUY else D("-0.5"))
    assert match(stop(side, "100"), opening, D(prev), TICK, SLIP2) == Match(True, fill, D(3))


@pytest.mark.parametrize(
    ("side", "prev", "at", "fill"), [(BUY, "99", "102", "100.5"), (SELL, "101", "98", "99.5")]
)
def test_stop_a_bar_segment_crosses_fills_at_the_stop_plus_slippage(
    side: OrderSide, prev: str, at: str, fill: str
) -> None:
    assert match(stop(side, "100"), seg(at), D(prev), TICK, SLIP2) == Match(True, D(fill), D(3))


def test_fresh_stop_on_a_segment_already_beyond_it_fills_at_the_point() -> None:
    result = match(stop(BUY, "100", fresh=True), seg("102"), D(101), TICK, PLAIN)
    assert result == Match(True, D(102), D(3))


@pytest.mark.parametrize(("side", "at", "fill"), [(BUY, "97", "97.25"), (SELL, "103", "102.75")])
def test_triggered_stop_fills_as_a_market_order(side: OrderSide, at: str, fill: str) -> None:
    order = stop(side, "100", triggered=True)
    result = match(order, trade(at), D(100), TICK, FillConfig(slippage_ticks=1))
    assert result == Match(False, D(fill), D(3))


def test_stop_reached_by_a_zero_size_point_triggers_without_filling() -> None:
    assert match(stop(BUY, "100"), trade("100", size="0"), None, TICK, PARTIAL) == Match(
        True, None, D(0)
    )


def test_stop_fills_at_most_the_traded_size_with_partial_fills() -> None:
    assert match(stop(SELL, "100"), trade("99", size="1"), None, TICK, PARTIAL) == Match(
        True, D(99), D(1)
    )


def test_stop_refuses_a_trade_that_already_filled_it() -> None:
    order = stop(BUY, "100", quantity="4")
    order.record_fill("t-1", D(100), D(1), 1)
    assert match(order, trade("101", trade_id="t-1"), None, TICK, PLAIN) is None


@pytest.mark.parametrize(("side", "at"), [(BUY, "100.5"), (SELL, "99.5")])
def test_stop_limit_triggered_beyond_its_limit_rests_unfilled(side: OrderSide, at: str) -> None:
    order = stop_limit(side, "100", "100")
    assert match(order, trade(at), D(100), TICK, TOUCH) == Match(True, None, D(0))


@pytest.mark.parametrize(("side", "at"), [(BUY, "99.75"), (SELL, "100.25")])
def test_triggered_stop_limit_rests_then_fills_at_its_limit(side: OrderSide, at: str) -> None:
    order = stop_limit(side, "100", "100", triggered=True)
    assert match(order, trade(at), D(101), TICK, SLIP2) == Match(False, D(100), D(3))


@pytest.mark.parametrize(("side", "at"), [(BUY, "100"), (SELL, "100")])
def test_triggered_stop_limit_at_its_limit_waits_for_a_trade_through(
    side: OrderSide, at: str
) -> None:
    assert (
        match(stop_limit(side, "100", "100", triggered=True), trade(at), None, TICK, PLAIN) is None
    )


@pytest.mark.parametrize(("side", "limit_at", "at"), [(BUY, "101", "100.5"), (SELL, "99", "99.5")])
def test_stop_limit_triggered_by_a_marketable_trade_fills_at_once_at_the_trade(
    side: OrderSide, limit_at: str, at: str
) -> None:
    order = stop_limit(side, "100", limit_at)
    assert match(order, trade(at), None, TICK, SLIP2) == Match(True, D(at), D(3))


@pytest.mark.parametrize(
    ("side", "limit_at", "prev", "at"),
    [(BUY, "100.5", "99", "101"), (SELL, "99.5", "101", "99")],
)
def test_stop_limit_a_segment_carries_through_both_prices_fills_at_the_limit(
    side: OrderSide, limit_at: str, prev: str, at: str
) -> None:
    order = stop_limit(side, "100", limit_at)
    assert match(order, seg(at), D(prev), TICK, SLIP2) == Match(True, D(limit_at), D(3))


@pytest.mark.parametrize(("side", "prev", "at"), [(BUY, "99", "101"), (SELL, "101", "99")])
@pytest.mark.parametrize(("mode", "filled"), [(LimitFill.THROUGH, False), (LimitFill.TOUCH, True)])
def test_stop_limit_at_its_stop_crossed_by_a_segment_fills_only_with_touch(
    side: OrderSide, prev: str, at: str, mode: LimitFill, filled: bool
) -> None:
    result = match(
        stop_limit(side, "100", "100"), seg(at), D(prev), TICK, FillConfig(limit_fill=mode)
    )
    assert result == (Match(True, D(100), D(3)) if filled else Match(True, None, D(0)))


def test_stop_limit_without_a_stop_price_is_a_bug() -> None:
    with pytest.raises(ValueError, match="no stop price"):
        match(order_of(OrderType.STOP_LIMIT, BUY, limit="100"), trade("100"), None, TICK, PLAIN)
