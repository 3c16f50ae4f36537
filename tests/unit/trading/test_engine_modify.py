"""Engine state machine: cancel and modify of working orders, and their races with fills."""

from __future__ import annotations

import pytest

from shared.messages.schemas.reasons import CancelReason, RejectedCommand, RejectReason
from shared.trading.orders import OrderStatus
from tests.unit.trading.engine_support import (
    BUY,
    LIMIT,
    OTHER_ACCOUNT,
    OTHER_USER,
    SELL,
    STOP,
    STOP_LIMIT,
    USER,
    D,
    Harness,
    one,
    types,
)


def resting(h: Harness, quantity: int = 3) -> None:
    h.submit(BUY, quantity, LIMIT, limit="4990", cid="l")
    h.trade("5000")


def test_cancel_ends_a_working_order_with_what_was_left() -> None:
    h = Harness()
    resting(h)

    canceled = one(h.cancel("l"), "OrderCanceled")

    assert (canceled.reason, canceled.leaves_quantity, canceled.cum_quantity) == (
        CancelReason.REQUESTED,
        D(3),
        D(0),
    )
    assert h.order("l").status is OrderStatus.CANCELED
    assert h.trade("4980") == []


@pytest.mark.parametrize("by_id", [False, True])
def test_modify_price_and_quantity_of_a_resting_limit(by_id: bool) -> None:
    h = Harness()
    resting(h)

    modified = one(h.modify("l", quantity=5, limit="4995", by_id=by_id), "OrderModified")

    assert (modified.quantity, modified.limit_price, modified.leaves_quantity) == (
        D(5),
        D(4995),
        D(5),
    )
    assert h.trade("4994.75") != []
    assert h.order("l").filled_quantity == 5


def test_modify_of_a_stop_price_moves_its_trigger() -> None:
    h = Harness()
    h.submit(SELL, 1, STOP, stop="4990", cid="s")
    h.trade("5000")
    h.modify("s", stop="4995")

    events = h.trade("4995")

    assert types(events) == ["OrderTriggered", "OrderFilled", "PositionOpened"]


def test_a_limit_modified_to_be_marketable_fills_at_the_market() -> None:
    h = Harness()
    resting(h)
    h.modify("l", limit="5005")

    assert one(h.trade("5000.5"), "OrderFilled").price == D("5000.5")


def test_quantity_of_a_partly_filled_order_can_shrink_down_to_just_above_its_fills() -> None:
    h = Harness.with_fills(partial_fills=True)
    resting(h, 5)
    h.trade("4989", 2)

    modified = one(h.modify("l", quantity=3), "OrderModified")

    assert (modified.quantity, modified.leaves_quantity) == (D(3), D(1))
    assert h.order("l").status is OrderStatus.PARTIALLY_FILLED


@pytest.mark.parametrize("quantity", [1, 2])
def test_modify_quantity_to_or_below_the_filled_is_not_allowed(quantity: int) -> None:
    h = Harness.with_fills(partial_fills=True)
    resting(h, 5)
    h.trade("4989", 2)

    refused = one(h.modify("l", quantity=quantity), "OrderRejected")

    assert (refused.command, refused.reason) == (
        RejectedCommand.MODIFY,
        RejectReason.MODIFY_NOT_ALLOWED,
    )
    assert h.order("l").quantity == 5


@pytest.mark.parametrize(
    ("change", "order_type"),
    [({"limit": "5000"}, STOP), ({"stop": "4990"}, LIMIT), ({"stop": "5006"}, STOP_LIMIT)],
)
def test_modify_of_a_price_the_order_does_not_have_or_has_used_is_not_allowed(
    change, order_type
) -> None:
    h = Harness()
    prices = {STOP: {"stop": "5005"}, LIMIT: {"limit": "4990"}}
    h.submit(
        BUY, 1, order_type, cid="o", **prices.get(order_type, {"stop": "5005", "limit": "5005"})
    )
    h.trade("5000")
    if order_type is STOP_LIMIT:
        assert types(h.trade("5005")) == ["OrderTriggered"]  # triggered, not filled

    refused = one(h.modify("o", **change), "OrderRejected")

    assert refused.reason is RejectReason.MODIFY_NOT_ALLOWED


@pytest.mark.parametrize("command", ["cancel", "modify"])
def test_cancel_or_modify_after_the_order_filled_changes_nothing(command: str) -> None:
    h = Harness()
    h.submit(BUY, 2, cid="m")
    h.trade("5000")
    before = (h.order("m").status, h.order("m").quantity, h.net())
    h.engine.take_changes()

    answer = h.cancel("m") if command == "cancel" else h.modify("m", quantity=4)

    refused = one(answer, "OrderRejected")
    assert refused.reason is RejectReason.ORDER_NOT_WORKING
    assert refused.command == command.upper()
    assert refused.order_id == h.order("m").order_id
    assert (h.order("m").status, h.order("m").quantity, h.net()) == before
    assert not h.engine.take_changes()


def test_cancel_and_modify_of_a_canceled_order_are_refused() -> None:
    h = Harness()
    resting(h)
    h.cancel("l")

    assert one(h.cancel("l"), "OrderRejected").reason is RejectReason.ORDER_NOT_WORKING
    assert one(h.modify("l", limit="4991"), "OrderRejected").reason is (
        RejectReason.ORDER_NOT_WORKING
    )


def test_orders_of_another_user_are_not_found() -> None:
    h = Harness()
    resting(h)

    refused = one(h.cancel("l", account=OTHER_ACCOUNT, user=OTHER_USER), "OrderRejected")
    assert refused.reason is RejectReason.ORDER_NOT_FOUND
    refused = one(h.cancel("l", user=OTHER_USER), "OrderRejected")
    assert refused.reason is RejectReason.ORDER_NOT_FOUND
    assert h.order("l").is_working
    assert one(h.cancel("nope", user=USER), "OrderRejected").reason is (
        RejectReason.ORDER_NOT_FOUND
    )


def test_a_modified_quantity_off_the_quantity_step_is_refused() -> None:
    h = Harness()
    resting(h)

    refused = one(h.modify("l", quantity="3.5"), "OrderRejected")

    assert refused.reason is RejectReason.INVALID_QUANTITY
    assert h.order("l").quantity == 3


def test_a_modified_price_off_the_tick_is_refused() -> None:
    h = Harness()
    resting(h)

    assert one(h.modify("l", limit="4990.1"), "OrderRejected").reason is (
        RejectReason.INVALID_PRICE_TICK
    )
    assert h.order("l").limit_price == 4990


def test_a_bracket_child_quantity_cannot_be_modified_but_its_price_can() -> None:
    h = Harness()
    h.submit(BUY, 2, take_profit="5010", stop_loss="4990", cid="e")
    h.trade("5000")

    assert one(h.modify("e.tp", quantity=1), "OrderRejected").reason is (
        RejectReason.MODIFY_NOT_ALLOWED
    )
    assert one(h.modify("e.tp", limit="5008"), "OrderModified").limit_price == D(5008)
    assert h.trade("5007.75") == []
    assert types(h.trade("5008.25")) == ["OrderFilled", "PositionClosed", "OrderCanceled"]
    assert h.net() == 0
