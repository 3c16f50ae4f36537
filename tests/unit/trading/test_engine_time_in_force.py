"""Engine state machine: DAY expiry at the CME close, GTC, IOC and FOK."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.clock import datetime_to_ns
from shared.messages.schemas.reasons import CancelReason
from shared.trading.orders import OrderStatus
from tests.unit.trading.engine_support import (
    BUY,
    DAY,
    FOK,
    GTC,
    IOC,
    LIMIT,
    SELL,
    D,
    Harness,
    chicago_ns,
    one,
    types,
)


def utc_ns(*parts: int) -> int:
    return datetime_to_ns(datetime(*parts, tzinfo=UTC))  # type: ignore[arg-type,misc]


@pytest.mark.parametrize(
    ("submitted", "close_utc"),
    [
        # Tuesday morning, standard time: the close is 16:00 CST = 22:00 UTC the same day.
        (chicago_ns(2026, 3, 3, 10), (2026, 3, 3, 22)),
        # Friday evening before the spring change: Monday 16:00 CDT = 21:00 UTC.
        (chicago_ns(2026, 3, 6, 17, 30), (2026, 3, 9, 21)),
        # Friday evening before the autumn change: Monday 16:00 CST = 22:00 UTC.
        (chicago_ns(2026, 10, 30, 18), (2026, 11, 2, 22)),
        # In the daily break (16:30): the next session's close.
        (chicago_ns(2026, 7, 14, 16, 30), (2026, 7, 15, 21)),
    ],
)
def test_a_day_order_expires_at_the_cme_session_close(
    submitted: int, close_utc: tuple[int, int, int, int]
) -> None:
    close = utc_ns(*close_utc)
    h = Harness(now=submitted)
    h.submit(BUY, 3, LIMIT, limit="4000", tif=DAY, cid="d", ts=submitted)
    h.submit(BUY, 1, LIMIT, limit="4000", tif=GTC, cid="g", ts=submitted)

    assert h.order("d").expire_ns == close
    assert h.tick(close - 1) == []

    events = h.tick(close)

    expired = one(events, "OrderExpired")
    assert (expired.client_order_id, expired.leaves_quantity, expired.cum_quantity) == (
        "d",
        D(3),
        D(0),
    )
    assert types(events) == ["OrderExpired"]  # the GTC order survives
    assert h.order("d").status is OrderStatus.EXPIRED
    assert h.order("g").status is OrderStatus.ACCEPTED
    assert h.tick(close + 10**15) == []
    assert h.order("g").is_working


def test_a_partly_filled_day_order_expires_with_what_is_left() -> None:
    h = Harness.with_fills(partial_fills=True)
    h.submit(BUY, 5, tif=DAY, cid="d")
    h.trade("5000", 2)

    expired = one(h.tick(chicago_ns(2026, 3, 3, 16)), "OrderExpired")

    assert (expired.cum_quantity, expired.leaves_quantity) == (D(2), D(3))
    assert h.net() == 2


def test_an_expired_day_order_no_longer_fills() -> None:
    h = Harness()
    h.submit(BUY, 1, tif=DAY, cid="d")
    h.tick(chicago_ns(2026, 3, 3, 16))

    assert h.trade("5000") == []
    assert h.net() == 0


@pytest.mark.parametrize("side", [BUY, SELL])
def test_ioc_fills_what_the_first_trade_offers_and_cancels_the_rest(side) -> None:
    h = Harness.with_fills(partial_fills=True)
    h.submit(side, 5, tif=IOC, cid="i")

    events = h.trade("5000", 2)

    assert types(events) == ["OrderFilled", "PositionOpened", "OrderCanceled"]
    canceled = one(events, "OrderCanceled")
    assert canceled.reason is CancelReason.IOC_UNFILLED
    assert (canceled.cum_quantity, canceled.leaves_quantity) == (D(2), D(3))
    assert h.order("i").status is OrderStatus.CANCELED
    assert h.trade("5000", 10) == []
    assert abs(h.net()) == 2


def test_an_ioc_limit_not_marketable_on_the_first_trade_is_canceled_unfilled() -> None:
    h = Harness()
    h.submit(BUY, 2, LIMIT, limit="4990", tif=IOC, cid="i")

    events = h.trade("5000")

    canceled = one(events, "OrderCanceled")
    assert (canceled.reason, canceled.leaves_quantity) == (CancelReason.IOC_UNFILLED, D(2))
    assert h.trade("4980") == []
    assert h.net() == 0


def test_a_marketable_ioc_fills_completely_and_is_not_canceled() -> None:
    h = Harness()
    h.submit(SELL, 2, LIMIT, limit="4990", tif=IOC, cid="i")

    assert types(h.trade("5000")) == ["OrderFilled", "PositionOpened"]
    assert h.order("i").status is OrderStatus.FILLED


def test_fok_that_cannot_fill_entirely_is_canceled_without_any_fill() -> None:
    h = Harness.with_fills(partial_fills=True)
    h.submit(BUY, 5, tif=FOK, cid="f")

    events = h.trade("5000", 4)

    assert types(events) == ["OrderCanceled"]
    assert one(events, "OrderCanceled").reason is CancelReason.FOK_UNFILLED
    assert h.order("f").filled_quantity == 0
    assert h.net() == 0


def test_fok_that_can_fill_entirely_fills_all_at_once() -> None:
    h = Harness.with_fills(partial_fills=True)
    h.submit(BUY, 5, tif=FOK, cid="f")

    events = h.trade("5000", 5)

    assert one(events, "OrderFilled").quantity == D(5)
    assert h.order("f").status is OrderStatus.FILLED


def test_a_fok_limit_not_marketable_is_canceled() -> None:
    h = Harness()
    h.submit(SELL, 1, LIMIT, limit="5010", tif=FOK, cid="f")

    assert one(h.trade("5000"), "OrderCanceled").reason is CancelReason.FOK_UNFILLED


def test_a_day_order_past_its_close_expires_at_the_next_trade_instead_of_filling() -> None:
    h = Harness()
    h.submit(BUY, 1, tif=DAY, cid="d")
    h.submit(BUY, 1, tif=GTC, cid="g")
    next_open = chicago_ns(2026, 3, 3, 17)  # the timer has not ticked since the close

    events = h.trade("5000", ts=next_open)

    assert types(events) == ["OrderExpired", "OrderFilled", "PositionOpened"]
    assert one(events, "OrderFilled").client_order_id == "g"
    assert h.order("d").status is OrderStatus.EXPIRED
    assert h.net() == 1
