"""Engine state machine: market and limit orders of both sides, on trades and on bars."""

from __future__ import annotations

import pytest

from shared.messages.schemas.common import OrderSide, PositionSide
from shared.trading.matching import LimitFill
from shared.trading.orders import OrderStatus
from tests.unit.trading.engine_support import (
    BUY,
    LIMIT,
    SELL,
    D,
    Harness,
    of,
    one,
    types,
)

SIDES = pytest.mark.parametrize("side", [BUY, SELL])


def sign(side: OrderSide) -> int:
    return 1 if side is BUY else -1


@SIDES
def test_a_market_order_is_accepted_and_fills_at_the_next_trade(side: OrderSide) -> None:
    h = Harness()
    accepted = h.submit(side, 2, cid="m")
    assert types(accepted) == ["OrderAccepted"]
    assert h.order("m").status is OrderStatus.ACCEPTED

    events = h.trade("5000", trade_id="T1")

    assert types(events) == ["OrderFilled", "PositionOpened"]
    fill = one(events, "OrderFilled")
    assert (fill.price, fill.quantity, fill.side) == (D(5000), D(2), side)
    assert (fill.cum_quantity, fill.leaves_quantity) == (D(2), D(0))
    assert fill.commission == D("4.50")  # 2.25 per ES contract per side
    assert fill.venue_trade_id == "T1"
    assert h.order("m").status is OrderStatus.FILLED
    opened = one(events, "PositionOpened")
    assert opened.side is (PositionSide.LONG if side is BUY else PositionSide.SHORT)
    assert h.net() == 2 * sign(side)
    assert h.trade("4990") == []  # filled orders stay filled


@SIDES
def test_a_market_order_on_bars_fills_at_the_next_bar_open(side: OrderSide) -> None:
    h = Harness()
    h.submit(side, 1, cid="m")

    events = h.bar("5000", "5010", "4990", "5005")

    assert one(events, "OrderFilled").price == D(5000)
    assert h.net() == sign(side)


@pytest.mark.parametrize(("side", "price"), [(BUY, "5000.25"), (SELL, "4999.75")])
def test_market_fills_take_slippage_ticks_against_the_order(side: OrderSide, price: str) -> None:
    h = Harness.with_fills(slippage_ticks=1)
    h.submit(side, 1, cid="m")

    fill = one(h.trade("5000"), "OrderFilled")

    assert fill.price == D(price)
    assert h.position() is not None
    assert h.position().avg_entry_price == D(price)  # type: ignore[union-attr]


# A buy limit at 4999 and its mirror, a sell limit at 5001; "away" is a price on the far side.
LIMITS = [(BUY, "4999", "4998.75", "5000"), (SELL, "5001", "5001.25", "5000")]


@pytest.mark.parametrize(("side", "limit", "through", "away"), LIMITS)
def test_a_resting_limit_needs_a_trade_through_it_and_fills_at_its_limit(
    side: OrderSide, limit: str, through: str, away: str
) -> None:
    h = Harness()
    h.submit(side, 1, LIMIT, limit=limit, cid="l")
    assert h.trade(away) == []
    assert h.trade(limit) == []  # a touch is not enough by default

    events = h.trade(through)

    assert one(events, "OrderFilled").price == D(limit)
    assert h.order("l").status is OrderStatus.FILLED


@pytest.mark.parametrize(("side", "limit", "through", "away"), LIMITS)
def test_with_touch_a_limit_fills_when_the_market_touches_it(
    side: OrderSide, limit: str, through: str, away: str
) -> None:
    h = Harness.with_fills(limit_fill=LimitFill.TOUCH)
    h.submit(side, 1, LIMIT, limit=limit, cid="l")
    h.trade(away)

    assert one(h.trade(limit), "OrderFilled").price == D(limit)


@pytest.mark.parametrize(("side", "limit", "gap"), [(BUY, "4999", "4990"), (SELL, "5001", "5010")])
def test_a_limit_the_market_gaps_through_on_arrival_fills_at_the_better_price(
    side: OrderSide, limit: str, gap: str
) -> None:
    h = Harness()
    h.submit(side, 1, LIMIT, limit=limit, cid="l")

    assert one(h.trade(gap), "OrderFilled").price == D(gap)


@pytest.mark.parametrize(("side", "limit", "gap"), [(BUY, "4999", "4990"), (SELL, "5001", "5010")])
def test_a_resting_limit_a_later_trade_jumps_past_fills_at_its_limit(
    side: OrderSide, limit: str, gap: str
) -> None:
    h = Harness()
    h.submit(side, 1, LIMIT, limit=limit, cid="l")
    h.trade("5000")

    assert one(h.trade(gap), "OrderFilled").price == D(limit)


@pytest.mark.parametrize(
    ("side", "limit", "bar"),
    [
        (BUY, "4999", ("4995", "4997", "4990", "4996")),
        (SELL, "5001", ("5005", "5010", "5003", "5004")),
    ],
)
def test_a_bar_opening_beyond_a_new_limit_fills_it_at_the_open(
    side: OrderSide, limit: str, bar: tuple[str, str, str, str]
) -> None:
    h = Harness()
    h.submit(side, 1, LIMIT, limit=limit, cid="l")

    assert one(h.bar(*bar), "OrderFilled").price == D(bar[0])


@pytest.mark.parametrize(
    ("side", "limit", "bar"),
    [
        (BUY, "4999", ("5000", "5001", "4998", "4999.5")),
        (SELL, "5001", ("5000", "5002", "4999", "5000.5")),
    ],
)
def test_a_bar_whose_path_runs_through_a_limit_fills_it_at_the_limit(
    side: OrderSide, limit: str, bar: tuple[str, str, str, str]
) -> None:
    h = Harness()
    h.submit(side, 1, LIMIT, limit=limit, cid="l")

    events = h.bar(*bar)

    assert one(events, "OrderFilled").price == D(limit)
    assert h.net() == sign(side)


def test_bars_are_ignored_for_a_symbol_that_has_trades() -> None:
    h = Harness()
    h.trade("5000")
    h.submit(BUY, 1, cid="m")

    assert h.bar("4990", "4995", "4980", "4985") == []
    assert h.order("m").status is OrderStatus.ACCEPTED


def test_partial_fills_follow_the_traded_size_until_the_order_is_done() -> None:
    h = Harness.with_fills(partial_fills=True)
    h.submit(BUY, 5, cid="m")

    first = h.trade("5000", 2)
    second = h.trade("5000.25", 10)

    assert [(p.quantity, p.leaves_quantity) for p in of(first + second, "OrderFilled")] == [
        (D(2), D(3)),
        (D(3), D(0)),
    ]
    assert types(second) == ["OrderFilled", "PositionChanged"]
    order = h.order("m")
    assert order.status is OrderStatus.FILLED
    assert order.avg_fill_price == (D(5000) * 2 + D("5000.25") * 3) / 5
    assert h.net() == 5


def test_orders_of_one_symbol_leave_other_symbols_alone() -> None:
    h = Harness()
    h.submit(BUY, 1, cid="es")
    h.submit(BUY, 1, cid="nq", symbol="NQZ6")

    events = h.trade("18000", symbol="NQZ6")

    assert one(events, "OrderFilled").symbol == "NQZ6"
    assert h.order("es").status is OrderStatus.ACCEPTED
    assert h.net(symbol="NQZ6") == 1
