"""Engine: a repeated client order id answers with the original outcome; a trade fills once."""

from __future__ import annotations

import uuid

from shared.messages.schemas.reasons import RejectReason
from shared.trading.orders import OrderStatus
from shared.trading.state import Account
from tests.unit.trading.engine_support import (
    BUY,
    LIMIT,
    OTHER_ACCOUNT,
    OTHER_USER,
    SELL,
    USER,
    D,
    Harness,
    of,
    one,
    types,
)


def test_a_repeated_submit_answers_accepted_again_and_changes_nothing() -> None:
    h = Harness()
    first = one(h.submit(BUY, 2, LIMIT, limit="4990", cid="c"), "OrderAccepted")
    h.engine.take_changes()
    known = len(h.st.book)

    again = h.submit(SELL, 7, cid="c")  # whatever else the repeat says

    assert types(again) == ["OrderAccepted"]
    assert one(again, "OrderAccepted").order_id == first.order_id
    assert one(again, "OrderAccepted").side is BUY
    assert len(h.st.book) == known
    assert not h.engine.take_changes()
    assert len(list(h.st.book.all_working())) == 1


def test_a_repeated_submit_of_a_rejected_order_is_rejected_again_for_the_same_reason() -> None:
    h = Harness()
    h.set_limits(max_order_quantity="2")
    first = one(h.submit(BUY, 5, cid="c"), "OrderRejected")
    h.set_limits(max_order_quantity="10")  # it would pass now: the outcome stays the first one
    h.engine.take_changes()

    again = one(h.submit(BUY, 5, cid="c"), "OrderRejected")

    assert (again.reason, again.order_id) == (RejectReason.MAX_ORDER_QTY, first.order_id)
    assert h.order("c").status is OrderStatus.REJECTED
    assert not h.engine.take_changes()
    assert h.trade("5000") == []


def test_a_repeated_submit_of_a_filled_order_does_not_trade_again() -> None:
    h = Harness()
    h.submit(BUY, 1, cid="c")
    h.trade("5000")

    assert types(h.submit(BUY, 1, cid="c")) == ["OrderAccepted"]
    assert h.trade("5001") == []
    assert h.net() == 1


def test_a_client_order_id_is_unique_per_account_not_globally() -> None:
    h = Harness()
    mine = one(h.submit(BUY, 1, cid="c"), "OrderAccepted")
    theirs = one(h.submit(BUY, 1, cid="c", account=OTHER_ACCOUNT, user=OTHER_USER), "OrderAccepted")

    assert mine.order_id != theirs.order_id
    h.trade("5000")
    assert (h.net(), h.net(OTHER_ACCOUNT)) == (1, 1)


def test_a_repeat_by_a_user_not_owning_the_account_is_refused_and_reveals_nothing() -> None:
    h = Harness()
    h.submit(BUY, 1, LIMIT, limit="4990", cid="c")
    h.engine.take_changes()

    refused = one(h.submit(BUY, 1, cid="c", user=OTHER_USER), "OrderRejected")

    assert refused.reason is RejectReason.NOT_AUTHORIZED
    assert refused.user_id == OTHER_USER
    assert refused.order_id != h.order("c").order_id
    assert h.order("c").is_working
    assert not h.engine.take_changes()


def test_the_same_trade_id_never_fills_an_order_twice() -> None:
    h = Harness.with_fills(partial_fills=True)
    h.submit(BUY, 3, cid="c")

    h.trade("5000", 1, trade_id="T1")
    assert h.trade("5000", 1, trade_id="T1") == []
    h.trade("5000", 1, trade_id="T2")

    assert [p.venue_trade_id for p in h.fills_of("c")] == ["T1", "T2"]
    assert h.order("c").filled_quantity == 2
    assert h.net() == 2


def test_a_replayed_bar_does_not_fill_an_order_twice() -> None:
    h = Harness.with_fills(partial_fills=True)
    h.submit(BUY, 10, cid="c")
    open_ns = h.now + 1
    ohlc = (D(5000), D(5002), D(4999), D(5001))

    first = h.engine.on_bar("ESZ6", open_ns, open_ns + 60_000_000_000, ohlc, D(4))
    again = h.engine.on_bar("ESZ6", open_ns, open_ns + 60_000_000_000, ohlc, D(4))

    assert len(of(first, "OrderFilled")) == 4
    assert again == []
    assert h.order("c").filled_quantity == 4


def test_a_submit_by_a_stranger_does_not_take_the_owners_client_order_id() -> None:
    h = Harness()
    refused = one(h.submit(BUY, 1, cid="c", user=OTHER_USER), "OrderRejected")
    assert refused.reason is RejectReason.NOT_AUTHORIZED
    assert h.st.book.by_client(refused.account_id, "c") is None
    assert not h.engine.take_changes()

    assert types(h.submit(BUY, 1, cid="c")) == ["OrderAccepted"]


def test_a_submit_for_an_unknown_account_is_refused_and_keeps_nothing() -> None:
    h = Harness()
    stranger = uuid.UUID(int=0xDEAD)
    refused = one(h.submit(BUY, 1, cid="c", account=stranger), "OrderRejected")
    assert refused.reason is RejectReason.UNKNOWN_ACCOUNT
    assert not h.engine.take_changes()

    h.st.accounts[stranger] = Account(stranger, USER, "USD", D(1000))
    assert types(h.submit(BUY, 1, cid="c", account=stranger)) == ["OrderAccepted"]
