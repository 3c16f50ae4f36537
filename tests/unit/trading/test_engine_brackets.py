"""Engine state machine: bracket children placed, grown, OCO, resized and canceled."""

from __future__ import annotations

from typing import Any

import pytest

from shared.messages.schemas.common import OrderSide
from shared.messages.schemas.reasons import CancelReason
from shared.trading.ids import derive_id
from shared.trading.orders import OrderStatus
from tests.unit.trading.engine_support import (
    BUY,
    LIMIT,
    SELL,
    STOP,
    D,
    Harness,
    of,
    one,
    types,
)

# Entry side, take-profit, stop-loss, and prices that hit each child after a fill at 5000.
SIDES = [(BUY, "5010", "4990", "5010.25", "4990"), (SELL, "4990", "5010", "4989.75", "5010")]


def bracketed(h: Harness, side: OrderSide, quantity: int, tp: str, sl: str) -> None:
    h.submit(side, quantity, take_profit=tp, stop_loss=sl, cid="e")


def children(h: Harness) -> tuple[Any, Any]:
    return h.order("e.tp"), h.order("e.sl")


@pytest.mark.parametrize(("side", "tp", "sl", "hit_tp", "hit_sl"), SIDES)
def test_children_are_placed_when_the_entry_fills_for_the_quantity_filled(
    side: OrderSide, tp: str, sl: str, hit_tp: str, hit_sl: str
) -> None:
    h = Harness()
    accepted = one(h.submit(side, 3, take_profit=tp, stop_loss=sl, cid="e"), "OrderAccepted")
    assert (accepted.bracket.take_profit_price, accepted.bracket.stop_loss_price) == (D(tp), D(sl))
    assert h.st.book.by_client(h.order("e").account_id, "e.tp") is None

    events = h.trade("5000")

    assert types(events) == ["OrderFilled", "PositionOpened", "OrderAccepted", "OrderAccepted"]
    entry = h.order("e")
    take, stop = of(events, "OrderAccepted")
    for child, kind, price in ((take, LIMIT, tp), (stop, STOP, sl)):
        assert child.side is not side
        assert (child.order_type, child.quantity, child.reduce_only) == (kind, D(3), True)
        assert child.parent_order_id == entry.order_id
        assert (child.limit_price if kind is LIMIT else child.stop_price) == D(price)
    assert take.oco_group_id == stop.oco_group_id is not None
    assert take.order_id == derive_id(entry.order_id, "tp")


@pytest.mark.parametrize(("side", "tp", "sl", "hit_tp", "hit_sl"), SIDES)
def test_the_take_profit_filling_cancels_the_stop_loss(
    side: OrderSide, tp: str, sl: str, hit_tp: str, hit_sl: str
) -> None:
    h = Harness()
    bracketed(h, side, 2, tp, sl)
    h.trade("5000")

    events = h.trade(hit_tp)

    assert types(events) == ["OrderFilled", "PositionClosed", "OrderCanceled"]
    assert one(events, "OrderFilled").price == D(tp)
    canceled = one(events, "OrderCanceled")
    assert (canceled.client_order_id, canceled.reason) == ("e.sl", CancelReason.OCO)
    take, stop = children(h)
    assert (take.status, stop.status) == (OrderStatus.FILLED, OrderStatus.CANCELED)
    assert h.position() is None


@pytest.mark.parametrize(("side", "tp", "sl", "hit_tp", "hit_sl"), SIDES)
def test_the_stop_loss_filling_cancels_the_take_profit(
    side: OrderSide, tp: str, sl: str, hit_tp: str, hit_sl: str
) -> None:
    h = Harness()
    bracketed(h, side, 2, tp, sl)
    h.trade("5000")

    events = h.trade(hit_sl)

    assert types(events) == ["OrderTriggered", "OrderFilled", "PositionClosed", "OrderCanceled"]
    canceled = one(events, "OrderCanceled")
    assert (canceled.client_order_id, canceled.reason) == ("e.tp", CancelReason.OCO)
    assert h.position() is None


def test_children_grow_with_further_partial_fills_of_the_entry() -> None:
    h = Harness.with_fills(partial_fills=True)
    bracketed(h, BUY, 5, "5010", "4990")
    h.trade("5000", 2)
    assert [c.quantity for c in children(h)] == [2, 2]

    events = h.trade("5000", 3)

    assert [(p.client_order_id, p.quantity) for p in of(events, "OrderModified")] == [
        ("e.tp", D(5)),
        ("e.sl", D(5)),
    ]
    assert [c.leaves_quantity for c in children(h)] == [5, 5]


def test_a_partial_fill_of_one_child_resizes_the_other() -> None:
    h = Harness.with_fills(partial_fills=True)
    bracketed(h, BUY, 3, "5010", "4990")
    h.trade("5000", 3)

    events = h.trade("5010.25", 1)

    modified = one(events, "OrderModified")
    assert (modified.client_order_id, modified.leaves_quantity) == ("e.sl", D(2))
    take, stop = children(h)
    assert take.status is OrderStatus.PARTIALLY_FILLED
    assert (take.leaves_quantity, stop.leaves_quantity) == (2, 2)
    assert h.net() == 2


def test_children_shrink_when_another_order_reduces_the_position() -> None:
    h = Harness()
    bracketed(h, BUY, 3, "5010", "4990")
    h.trade("5000")
    h.submit(SELL, 1, cid="manual")

    events = h.trade("5001")

    assert [(p.client_order_id, p.quantity) for p in of(events, "OrderModified")] == [
        ("e.tp", D(2)),
        ("e.sl", D(2)),
    ]
    assert h.net() == 2


def test_children_are_canceled_when_another_order_closes_the_position() -> None:
    h = Harness()
    bracketed(h, BUY, 3, "5010", "4990")
    h.trade("5000")
    h.submit(SELL, 3, cid="manual")

    events = h.trade("5001")

    canceled = of(events, "OrderCanceled")
    assert {p.client_order_id for p in canceled} == {"e.tp", "e.sl"}
    assert all(p.leaves_quantity == 3 for p in canceled)
    assert h.trade("4980") == []  # the stop-loss is gone: nothing triggers
    assert h.net() == 0


def test_an_unfilled_entry_places_no_children_and_its_cancel_leaves_none() -> None:
    h = Harness()
    h.submit(BUY, 1, LIMIT, limit="4990", take_profit="5010", stop_loss="4980", cid="e")
    h.trade("5000")
    h.cancel("e")

    assert h.trade("4970") == []
    assert len(h.st.book) == 1


def test_an_entry_filling_again_after_its_children_are_done_is_protected_again() -> None:
    h = Harness.with_fills(partial_fills=True)
    h.submit(BUY, 5, LIMIT, limit="5000", take_profit="5010", stop_loss="4990", cid="e")
    h.trade("4999.75", 2)
    h.trade("5010.25", 2)  # the take-profit closes the first 2; the stop-loss is canceled
    assert h.net() == 0
    assert h.order("e.sl").status is OrderStatus.CANCELED

    events = h.trade("4999.75", 3)

    placed = of(events, "OrderAccepted")
    assert [(p.order_type, p.quantity) for p in placed] == [(LIMIT, D(3)), (STOP, D(3))]
    assert all(p.parent_order_id == h.order("e").order_id for p in placed)
    first = {h.order("e.tp").order_id, h.order("e.sl").order_id}
    assert not first & {p.order_id for p in placed}  # new ids: the first pair stays as it was
    assert len({p.client_order_id for p in placed} | {"e.tp", "e.sl"}) == 4
    assert h.order("e.tp").status is OrderStatus.FILLED
    h.trade("4990", 10)
    assert h.net() == 0


def test_new_children_never_reuse_the_ids_of_finished_ones_the_ledger_dropped() -> None:
    h = Harness.with_fills(partial_fills=True)
    h.submit(BUY, 5, LIMIT, limit="5000", take_profit="5010", stop_loss="4990", cid="e")
    h.trade("4999.75", 2)
    h.trade("5010.25", 2)
    finished = {h.order(cid).order_id: cid for cid in ("e.tp", "e.sl")}
    h.st.book.forget_done()  # what the order processor does after each committed batch

    placed = of(h.trade("4999.75", 3), "OrderAccepted")

    assert len(placed) == 2
    assert not {p.order_id for p in placed} & set(finished)
    assert not {p.client_order_id for p in placed} & set(finished.values())


def test_a_take_profit_resting_since_the_entry_filled_fills_at_its_limit() -> None:
    h = Harness()
    bracketed(h, BUY, 1, "5010", "4990")
    h.trade("5000")

    assert one(h.trade("5012"), "OrderFilled").price == D(5010)


def test_a_take_profit_already_marketable_when_placed_fills_at_the_market() -> None:
    h = Harness()
    bracketed(h, BUY, 1, "5010", "4990")  # a market entry: it may fill beyond its take-profit
    h.trade("5020")

    assert one(h.trade("5019"), "OrderFilled").price == D(5019)
