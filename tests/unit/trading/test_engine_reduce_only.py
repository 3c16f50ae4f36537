"""Engine state machine: reduce-only orders refused, clipped and canceled with the position."""

from __future__ import annotations

import pytest

from shared.messages.schemas.common import OrderSide
from shared.messages.schemas.reasons import CancelReason, RejectReason
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


def long(h: Harness, quantity: int) -> None:
    h.submit(BUY, quantity, cid="entry")
    h.trade("5000")
    assert h.net() == quantity


@pytest.mark.parametrize("side", [BUY, SELL])
def test_reduce_only_is_refused_when_flat(side: OrderSide) -> None:
    h = Harness()

    rejected = one(h.submit(side, 1, reduce_only=True, cid="r"), "OrderRejected")

    assert rejected.reason is RejectReason.REDUCE_ONLY_WOULD_INCREASE
    assert h.order("r").status is OrderStatus.REJECTED
    assert h.trade("5000") == []


@pytest.mark.parametrize(("side", "quantity"), [(BUY, 1), (SELL, 3)])
def test_reduce_only_that_would_add_or_flip_is_refused(side: OrderSide, quantity: int) -> None:
    h = Harness()
    long(h, 2)

    rejected = one(h.submit(side, quantity, reduce_only=True, cid="r"), "OrderRejected")

    assert rejected.reason is RejectReason.REDUCE_ONLY_WOULD_INCREASE
    assert h.net() == 2


def test_reduce_only_within_the_position_is_accepted_and_reduces() -> None:
    h = Harness()
    long(h, 2)

    assert types(h.submit(SELL, 2, reduce_only=True, cid="r")) == ["OrderAccepted"]
    events = h.trade("5001")

    assert types(events) == ["OrderFilled", "PositionClosed"]
    assert h.position() is None


def test_reduce_only_orders_are_clipped_to_the_position_left_when_they_fill() -> None:
    h = Harness()
    long(h, 3)
    h.submit(SELL, 2, reduce_only=True, cid="a")
    h.submit(SELL, 2, reduce_only=True, cid="b")

    events = h.trade("5001")

    fills = [(p.client_order_id, p.quantity) for p in of(events, "OrderFilled")]
    assert fills == [("a", D(2)), ("b", D(1))]
    assert h.net() == 0  # never flipped short
    assert h.order("b").status is OrderStatus.FILLED
    assert h.order("b").quantity == 1


def test_a_resting_reduce_only_order_shrinks_with_the_position() -> None:
    h = Harness()
    long(h, 3)
    h.submit(SELL, 3, LIMIT, limit="5010", reduce_only=True, cid="r")
    h.submit(SELL, 2, cid="other")

    events = h.trade("5000")

    modified = one(events, "OrderModified")
    assert (modified.client_order_id, modified.quantity, modified.leaves_quantity) == (
        "r",
        D(1),
        D(1),
    )
    assert h.order("r").is_working


@pytest.mark.parametrize("sold", [2, 5])
def test_a_resting_reduce_only_order_is_canceled_when_the_position_closes(sold: int) -> None:
    h = Harness()
    long(h, 2)
    h.submit(SELL, 2, LIMIT, limit="5010", reduce_only=True, cid="r")
    h.submit(SELL, sold, cid="other")

    events = h.trade("5000")

    canceled = one(events, "OrderCanceled")
    assert (canceled.client_order_id, canceled.reason) == ("r", CancelReason.RISK)
    assert h.order("r").status is OrderStatus.CANCELED
    assert h.net() == 2 - sold
    assert of(h.trade("5011"), "OrderFilled") == []
