"""An order made on a bar never fills from that bar: ``not_before_ns`` holds it until after."""

from __future__ import annotations

from shared.messages.schemas.orders import SubmitOrder
from tests.unit.trading.engine_support import ACCOUNT, BUY, MARKET, SYMBOL, USER, D, Harness, of

MINUTE = 60_000_000_000


def _market_buy(h: Harness, cid: str, not_before: int) -> None:
    h.command(
        SubmitOrder(
            account_id=ACCOUNT,
            user_id=USER,
            client_order_id=cid,
            symbol=SYMBOL,
            side=BUY,
            order_type=MARKET,
            quantity=D(1),
            not_before_ns=not_before,
        )
    )


def test_a_market_order_waits_for_data_after_the_bar_it_was_made_on() -> None:
    h = Harness()
    start = h.now
    decided = start + MINUTE  # the close of the bar the strategy handled
    _market_buy(h, "s1", decided)
    h.now = start - 1_000_000  # the market lane is a bar behind: that same bar comes now
    h.bar("5000", "5004", "4999", "5002")  # its path ends at its close, `decided`
    assert h.fills_of("s1") == []
    h.bar("5003", "5006", "5001", "5005")  # the next bar: fills at its open
    [fill] = h.fills_of("s1")
    assert fill.price == D("5003")


def test_a_trade_from_before_the_decision_does_not_fill() -> None:
    h = Harness()
    decided = h.now + MINUTE
    _market_buy(h, "s1", decided)
    h.trade("5001", ts=decided - 1)
    assert h.fills_of("s1") == []
    h.trade("5002", ts=decided + 1)
    assert [f.price for f in h.fills_of("s1")] == [D("5002")]


def test_a_trade_at_the_decision_time_itself_fills() -> None:
    h = Harness()
    decided = h.now + MINUTE
    _market_buy(h, "s1", decided)
    h.trade("5001.25", ts=decided)
    assert [f.price for f in of(h.log, "OrderFilled")] == [D("5001.25")]


def test_without_a_time_the_next_market_point_fills() -> None:
    h = Harness()
    _market_buy(h, "s1", 0)
    h.trade("5000.50")
    assert [f.price for f in h.fills_of("s1")] == [D("5000.50")]
