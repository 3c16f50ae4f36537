"""Engine state machine: stop and stop-limit orders of both sides."""

from __future__ import annotations

import pytest

from shared.messages.schemas.common import OrderSide
from shared.trading.orders import OrderStatus
from tests.unit.trading.engine_support import (
    BUY,
    SELL,
    STOP,
    STOP_LIMIT,
    D,
    Harness,
    one,
    types,
)

# A buy stop above the market at 5000 and its mirror; "short" stays on the near side.
STOPS = [(BUY, "5001", "5000.75", "5005"), (SELL, "4999", "4999.25", "4995")]


@pytest.mark.parametrize(("side", "stop", "short", "gap"), STOPS)
def test_a_stop_triggers_on_touch_then_fills_as_market(
    side: OrderSide, stop: str, short: str, gap: str
) -> None:
    h = Harness()
    h.submit(side, 1, STOP, stop=stop, cid="s")
    assert h.trade("5000") == []
    assert h.trade(short) == []
    assert h.order("s").status is OrderStatus.ACCEPTED

    events = h.trade(stop)

    assert types(events) == ["OrderTriggered", "OrderFilled", "PositionOpened"]
    assert one(events, "OrderTriggered").trigger_price == D(stop)
    assert one(events, "OrderFilled").price == D(stop)
    order = h.order("s")
    assert order.status is OrderStatus.FILLED
    assert order.triggered


@pytest.mark.parametrize(("side", "stop", "short", "gap"), STOPS)
def test_a_trade_gapping_through_a_stop_fills_it_at_the_gapped_price(
    side: OrderSide, stop: str, short: str, gap: str
) -> None:
    h = Harness()
    h.submit(side, 1, STOP, stop=stop, cid="s")
    h.trade("5000")

    assert one(h.trade(gap), "OrderFilled").price == D(gap)


@pytest.mark.parametrize(
    ("side", "stop", "fill"), [(BUY, "5001", "5001.25"), (SELL, "4999", "4998.75")]
)
def test_a_triggered_stop_takes_slippage(side: OrderSide, stop: str, fill: str) -> None:
    h = Harness.with_fills(slippage_ticks=1)
    h.submit(side, 1, STOP, stop=stop, cid="s")

    assert one(h.trade(stop), "OrderFilled").price == D(fill)


@pytest.mark.parametrize(
    ("side", "stop", "bar"),
    [
        (BUY, "5001", ("5000", "5003", "4999.5", "5002")),
        (SELL, "4999", ("5000", "5000.5", "4997", "4998")),
    ],
)
def test_a_bar_path_crossing_a_stop_fills_it_at_the_stop(
    side: OrderSide, stop: str, bar: tuple[str, str, str, str]
) -> None:
    h = Harness()
    h.submit(side, 1, STOP, stop=stop, cid="s")

    events = h.bar(*bar)

    assert one(events, "OrderFilled").price == D(stop)


@pytest.mark.parametrize(
    ("side", "stop", "limit", "at"), [(BUY, "5001", "5002", "5001"), (SELL, "4999", "4998", "4999")]
)
def test_a_stop_limit_marketable_when_triggered_fills_at_once(
    side: OrderSide, stop: str, limit: str, at: str
) -> None:
    h = Harness()
    h.submit(side, 1, STOP_LIMIT, stop=stop, limit=limit, cid="sl")
    h.trade("5000")

    events = h.trade(at)

    assert types(events) == ["OrderTriggered", "OrderFilled", "PositionOpened"]
    assert one(events, "OrderFilled").price == D(at)
    assert h.order("sl").status is OrderStatus.FILLED


# A stop-limit whose limit is the stop: the trigger touches it but does not trade through it.
RESTING = [(BUY, "5001", "5003", "5000.75"), (SELL, "4999", "4997", "4999.25")]


@pytest.mark.parametrize(("side", "stop", "beyond", "back"), RESTING)
def test_a_stop_limit_triggers_then_rests_as_a_limit(
    side: OrderSide, stop: str, beyond: str, back: str
) -> None:
    h = Harness()
    h.submit(side, 1, STOP_LIMIT, stop=stop, limit=stop, cid="sl")
    h.trade("5000")

    assert types(h.trade(stop)) == ["OrderTriggered"]
    assert h.order("sl").status is OrderStatus.TRIGGERED
    assert h.trade(beyond) == []  # beyond the limit: not marketable
    assert h.trade(stop) == []  # triggered once only

    events = h.trade(back)

    assert types(events) == ["OrderFilled", "PositionOpened"]
    assert one(events, "OrderFilled").price == D(stop)  # a resting limit fills at its limit
    assert h.order("sl").status is OrderStatus.FILLED


@pytest.mark.parametrize(("side", "stop", "beyond", "back"), RESTING)
def test_a_stop_limit_the_market_gaps_past_triggers_without_filling(
    side: OrderSide, stop: str, beyond: str, back: str
) -> None:
    h = Harness()
    h.submit(side, 1, STOP_LIMIT, stop=stop, limit=stop, cid="sl")
    h.trade("5000")

    assert types(h.trade(beyond)) == ["OrderTriggered"]
    assert h.order("sl").filled_quantity == 0


def test_a_triggered_stop_that_cannot_fill_yet_fills_on_the_next_sized_trade() -> None:
    h = Harness.with_fills(partial_fills=True)
    h.submit(BUY, 2, STOP, stop="5001", cid="s")

    assert types(h.trade("5001", 0)) == ["OrderTriggered"]
    assert h.order("s").status is OrderStatus.TRIGGERED

    events = h.trade("5001.5", 5)

    assert one(events, "OrderFilled").price == D("5001.5")
    assert h.net() == 2
