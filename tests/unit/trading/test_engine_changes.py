"""Engine: ``take_changes`` hands over every touched order, fill and position once per batch."""

from __future__ import annotations

from shared.messages.schemas.risk import TradingState
from shared.trading.orders import OrderStatus
from tests.unit.trading.engine_support import (
    ACCOUNT,
    BUY,
    DAY,
    LIMIT,
    OTHER_ACCOUNT,
    OTHER_USER,
    SELL,
    STOP_LIMIT,
    STRATEGY,
    Harness,
    chicago_ns,
    of,
)


def ids(h: Harness, *cids: str) -> set:
    return {h.order(cid).order_id for cid in cids}


def test_nothing_changed_is_an_empty_batch() -> None:
    h = Harness()

    assert not h.engine.take_changes()
    h.trade("5000")
    assert not h.engine.take_changes()


def test_a_submit_changes_its_order_only() -> None:
    h = Harness()
    h.submit(BUY, 1, LIMIT, limit="4990", cid="a")

    changes = h.engine.take_changes()

    assert set(changes.orders) == ids(h, "a")
    assert (changes.fills, changes.positions) == ([], {})
    assert not h.engine.take_changes()  # taken: the next batch starts empty


def test_a_batch_holds_each_order_and_position_once_and_every_fill() -> None:
    h = Harness.with_fills(partial_fills=True)
    h.submit(BUY, 3, cid="a", strategy=STRATEGY)
    h.submit(SELL, 2, cid="b", account=OTHER_ACCOUNT, user=OTHER_USER)
    h.engine.take_changes()

    events = h.trade("5000", 1) + h.trade("5000.25", 1) + h.trade("5000.5", 5)
    changes = h.engine.take_changes()

    assert set(changes.orders) == ids(h, "a") | {h.order("b", OTHER_ACCOUNT).order_id}
    assert [f.fill_id for f in changes.fills] == [p.fill_id for p in of(events, "OrderFilled")]
    assert len({f.fill_id for f in changes.fills}) == len(changes.fills) == 5
    assert set(changes.positions) == {
        h.position().position_id,
        h.position(OTHER_ACCOUNT).position_id,
    }  # type: ignore[union-attr]
    assert changes.daily == {(ACCOUNT, None), (ACCOUNT, STRATEGY), (OTHER_ACCOUNT, None)}


def test_a_fill_crossing_zero_hands_over_the_closed_and_the_new_position() -> None:
    h = Harness()
    h.submit(BUY, 1)
    h.trade("5000")
    closing = h.position()
    h.engine.take_changes()
    h.submit(SELL, 3)

    h.trade("5001")
    changes = h.engine.take_changes()

    opened = h.position()
    assert closing is not None and opened is not None
    assert set(changes.positions) == {closing.position_id, opened.position_id}
    assert not changes.positions[closing.position_id].is_open
    assert h.net() == -2


def test_bracket_children_and_the_sibling_they_cancel_are_in_the_batch() -> None:
    h = Harness()
    h.submit(BUY, 1, take_profit="5010", stop_loss="4990", cid="e")
    h.trade("5000")
    assert set(h.engine.take_changes().orders) == ids(h, "e", "e.tp", "e.sl")

    h.trade("5010.25")

    assert set(h.engine.take_changes().orders) == ids(h, "e.tp", "e.sl")
    assert h.order("e.sl").status is OrderStatus.CANCELED


def test_changes_without_events_are_handed_over_too() -> None:
    h = Harness()
    h.submit(BUY, 1, STOP_LIMIT, stop="5001", limit="5001", cid="s")
    h.engine.take_changes()

    h.trade("5000")  # the first look: the order is no longer fresh, and that is saved
    assert set(h.engine.take_changes().orders) == ids(h, "s")
    h.trade("5001")  # triggered, not filled
    assert set(h.engine.take_changes().orders) == ids(h, "s")
    assert h.order("s").status is OrderStatus.TRIGGERED


def test_expiry_cancels_and_settings_are_in_the_batch() -> None:
    h = Harness()
    h.submit(BUY, 1, LIMIT, limit="4990", tif=DAY, cid="d")
    h.submit(BUY, 1, LIMIT, limit="4990", cid="c")
    h.set_limits(strategy=STRATEGY, max_order_quantity="3")
    h.set_state(TradingState.REDUCING)
    h.cancel("c")
    h.tick(chicago_ns(2026, 3, 3, 16))

    changes = h.engine.take_changes()

    assert set(changes.orders) == ids(h, "d", "c")
    assert changes.limits == {(ACCOUNT, STRATEGY)}
    assert changes.states == {(ACCOUNT, None)}
