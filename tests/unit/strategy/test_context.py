"""The context's actions and views: what each action sends, prices on tick, sizing."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from shared.messages.schemas.common import OrderSide, OrderType, TimeInForce
from shared.messages.schemas.orders import CancelOrder, SubmitOrder
from shared.messages.schemas.strategy import Signal, SignalDirection
from shared.strategy.candles import Candle
from shared.strategy.context import StrategyContext
from shared.strategy.definition import Sizing, Subscription
from shared.strategy.runner import StrategyRunner
from tests.unit.strategy.support import (
    INSTRUMENTS,
    SYMBOL,
    T0,
    Script,
    candle,
    definition,
    fill_of,
    scripted,
    sent,
)

D = Decimal
Action = Callable[[StrategyContext], Any]


def on_bar(action: Action, *, close: float = 5000.0, **kw: Any) -> list[Any]:
    """The payloads a strategy sends doing ``action`` on one bar closing at ``close``."""
    runner = scripted(Script(lambda ctx, bar: action(ctx)), definition(**kw))
    return sent(runner.on_bar(candle(0, close)))


def one_order(action: Action, **kw: Any) -> SubmitOrder:
    (payload,) = on_bar(action, **kw)
    assert isinstance(payload, SubmitOrder)
    return payload


def with_position(signed: int, action: Action, *, price: str = "5000") -> list[Any]:
    """Payloads of ``action`` on the bar after a fill of ``signed`` contracts."""
    first = {"done": False}

    def bar(ctx: StrategyContext, c: Candle) -> None:
        if not first["done"]:
            first["done"] = True
            (ctx.buy if signed > 0 else ctx.sell)(abs(signed))
        else:
            action(ctx)

    runner = scripted(Script(bar))
    (entry,) = sent(runner.on_bar(candle(0, 5000.0)))
    runner.on_event(fill_of(entry, price))
    return sent(runner.on_bar(candle(1, 5000.0)))


def test_buy_without_arguments_is_a_market_order_of_the_sizing_rule() -> None:
    order = one_order(lambda ctx: ctx.buy())
    assert (order.side, order.order_type) == (OrderSide.BUY, OrderType.MARKET)
    assert order.quantity == 1
    assert (order.limit_price, order.stop_price, order.bracket) == (None, None, None)
    assert (order.time_in_force, order.reduce_only, order.tag) == (TimeInForce.GTC, False, None)
    assert (order.symbol, order.account_id, order.user_id) == (SYMBOL, definition().account_id,
                                                                definition().user_id)  # fmt: skip
    assert (order.strategy_id, order.strategy_version) == (definition().strategy_id, 1)


def test_sell_with_a_quantity_and_options() -> None:
    order = one_order(
        lambda ctx: ctx.sell(3, time_in_force=TimeInForce.DAY, tag="why", reduce_only=True)
    )
    assert (order.side, order.quantity) == (OrderSide.SELL, D(3))
    assert order.time_in_force is TimeInForce.DAY
    assert (order.tag, order.reduce_only) == ("why", True)


@pytest.mark.parametrize(
    ("options", "kind", "limit", "stop"),
    [
        ({"limit": 4990.0}, OrderType.LIMIT, D("4990"), None),
        ({"stop": 5010.0}, OrderType.STOP, None, D("5010")),
        ({"limit": 5011.0, "stop": 5010.0}, OrderType.STOP_LIMIT, D("5011"), D("5010")),
    ],
)
def test_limit_and_stop_prices_make_the_order_type(
    options: dict[str, Any], kind: OrderType, limit: Decimal | None, stop: Decimal | None
) -> None:
    order = one_order(lambda ctx: ctx.buy(**options))
    assert (order.order_type, order.limit_price, order.stop_price) == (kind, limit, stop)


@pytest.mark.parametrize(
    ("given", "on_tick"),
    [(4990.1, "4990"), (4990.13, "4990.25"), (4990.125, "4990.0"), (4990.375, "4990.5")],
)
def test_prices_are_rounded_to_the_nearest_tick_half_to_even(given: float, on_tick: str) -> None:
    order = one_order(lambda ctx: ctx.buy(limit=given))
    assert order.limit_price == D(on_tick)


def test_price_helper_uses_the_instrument_tick() -> None:
    prices: list[Decimal] = []

    def action(ctx: StrategyContext) -> None:
        prices.append(ctx.price(1.2345, "CLZ6"))
        ctx.buy()

    one_order(action)
    assert prices == [D("1.23")]


def test_bracket_in_ticks_from_the_last_close_for_a_market_buy() -> None:
    order = one_order(lambda ctx: ctx.buy(take_profit_ticks=8, stop_loss_ticks=4))
    assert order.bracket is not None
    assert (order.bracket.take_profit_price, order.bracket.stop_loss_price) == (D(5002), D(4999))


def test_bracket_in_ticks_is_mirrored_for_a_sell() -> None:
    order = one_order(lambda ctx: ctx.sell(take_profit_ticks=8, stop_loss_ticks=4))
    assert order.bracket is not None
    assert (order.bracket.take_profit_price, order.bracket.stop_loss_price) == (D(4998), D(5001))


def test_bracket_in_ticks_counts_from_the_limit_else_the_stop() -> None:
    limit = one_order(lambda ctx: ctx.buy(limit=4990.0, take_profit_ticks=4))
    stop = one_order(lambda ctx: ctx.buy(stop=5010.0, stop_loss_ticks=4))
    assert limit.bracket is not None and stop.bracket is not None
    assert limit.bracket.take_profit_price == D(4991)
    assert stop.bracket.stop_loss_price == D(5009)


def test_bracket_in_prices_is_rounded_to_the_tick() -> None:
    order = one_order(lambda ctx: ctx.buy(limit=4990.0, take_profit=5000.1, stop_loss=4980.2))
    assert order.bracket is not None
    assert (order.bracket.take_profit_price, order.bracket.stop_loss_price) == (D(5000), D(4980.25))


def test_bracket_in_ticks_without_any_price_is_refused() -> None:
    runner = scripted(Script(), start=False)
    with pytest.raises(ValueError, match="no price of ESZ6 yet"):
        runner.ctx.buy(stop_loss_ticks=4)


def test_equity_sizing_takes_whole_contracts_of_a_fraction_of_equity() -> None:
    # 100,000 x 0.6 = 60,000; one ES at 1000 is 50,000 notional -> 1 contract (floor)
    sizing = Sizing(mode="equity", fraction=D("0.6"))
    assert one_order(lambda ctx: ctx.buy(), close=1000.0, sizing=sizing).quantity == 1
    sizing = Sizing(mode="equity", fraction=D("2"))
    assert one_order(lambda ctx: ctx.buy(), close=1000.0, sizing=sizing).quantity == 4


def test_equity_sizing_sends_nothing_when_below_one_contract() -> None:
    sizing = Sizing(mode="equity", fraction=D("0.1"))
    assert on_bar(lambda ctx: ctx.buy(), close=5000.0, sizing=sizing) == []


def test_equity_sizing_prices_at_the_limit_when_given() -> None:
    sizing = Sizing(mode="equity", fraction=D("1"))
    order = one_order(lambda ctx: ctx.buy(limit=500.0), close=5000.0, sizing=sizing)
    assert order.quantity == 4  # 100,000 / (500 x 50)


def test_equity_sizing_before_any_price_is_zero() -> None:
    runner = scripted(Script(), definition(sizing=Sizing(mode="equity")), start=False)
    assert runner.ctx.size() == 0


def test_fixed_sizing_quantity() -> None:
    assert one_order(lambda ctx: ctx.buy(), sizing=Sizing(quantity=D(3))).quantity == 3


def test_equity_includes_realized_and_unrealized_pnl() -> None:
    seen: list[Decimal] = []
    with_position(2, lambda ctx: seen.append(ctx.equity()), price="4990")
    assert seen == [D(100_000) + 2 * 10 * 50]


def test_close_flattens_the_intended_position_reduce_only() -> None:
    (order,) = with_position(2, lambda ctx: ctx.close())
    assert (order.side, order.quantity, order.reduce_only, order.tag) == ("SELL", 2, True, "close")
    (order,) = with_position(-3, lambda ctx: ctx.close(tag="out"))
    assert (order.side, order.quantity, order.tag) == ("BUY", 3, "out")


def test_close_when_flat_sends_nothing() -> None:
    assert on_bar(lambda ctx: ctx.close()) == []


def test_close_counts_market_orders_still_out() -> None:
    runner = scripted(Script(lambda ctx, bar: ctx.buy(2) if bar.open_time == T0 else ctx.close()))
    runner.on_bar(candle(0, 5000.0))
    (close,) = sent(runner.on_bar(candle(1, 5000.0)))
    assert isinstance(close, SubmitOrder)
    assert (close.side, close.quantity) == ("SELL", D(2))


def test_later_actions_of_a_callback_see_the_earlier_ones_in_intended() -> None:
    held: list[Decimal] = []

    def action(ctx: StrategyContext) -> None:
        ctx.buy(2)
        held.append(ctx.intended())
        ctx.close()

    payloads = on_bar(action)
    assert held == [2]
    assert [(p.side, p.quantity, p.reduce_only) for p in payloads] == [
        ("BUY", 2, False),
        ("SELL", 2, True),
    ]


def test_resting_orders_are_not_part_of_intended() -> None:
    held: list[Decimal] = []

    def action(ctx: StrategyContext) -> None:
        ctx.buy(2, limit=4000.0)
        ctx.sell(stop=4000.0)
        held.append(ctx.intended())

    on_bar(action)
    assert held == [0]


def test_reverse_sends_one_order_for_the_position_and_the_new_size() -> None:
    (order,) = with_position(2, lambda ctx: ctx.reverse())
    assert (order.side, order.quantity, order.order_type) == ("SELL", 3, OrderType.MARKET)
    (order,) = with_position(-1, lambda ctx: ctx.reverse(4))
    assert (order.side, order.quantity) == ("BUY", 5)


def test_reverse_when_flat_buys() -> None:
    order = one_order(lambda ctx: ctx.reverse())
    assert (order.side, order.quantity) == ("BUY", D(1))


def test_actions_return_the_client_order_id_they_are_sent_with() -> None:
    ids: list[str | None] = []
    payloads = on_bar(lambda ctx: ids.extend([ctx.buy(), ctx.sell(limit=5100.0)]))
    assert ids == [p.client_order_id for p in payloads]


def test_cancel_sends_a_cancel_for_a_working_order_only() -> None:
    ids: list[str | None] = []

    def bar(ctx: StrategyContext, c: Candle) -> None:
        if c.open_time == T0:
            ids.append(ctx.buy(limit=4900.0))
        else:
            ctx.cancel(str(ids[0]), "enough")
            ctx.cancel("not-mine")

    runner = scripted(Script(bar))
    runner.on_bar(candle(0, 5000.0))
    (cancel,) = sent(runner.on_bar(candle(1, 5000.0)))
    assert isinstance(cancel, CancelOrder)
    assert (cancel.client_order_id, cancel.reason) == (ids[0], "enough")
    assert cancel.account_id == definition().account_id


def test_cancel_all_cancels_the_working_orders_of_a_symbol() -> None:
    ids: list[str | None] = []

    def bar(ctx: StrategyContext, c: Candle) -> None:
        if c.open_time == T0:
            ids.extend([ctx.buy(limit=4900.0), ctx.buy(limit=4800.0, symbol="NQZ6")])
        else:
            ctx.cancel_all(SYMBOL)

    runner = scripted(Script(bar))
    runner.on_bar(candle(0, 5000.0))
    cancels = sent(runner.on_bar(candle(1, 5000.0)))
    assert [c.client_order_id for c in cancels] == [ids[0]]


def test_signal_carries_the_last_close_on_tick_and_the_bar() -> None:
    (signal,) = on_bar(lambda ctx: ctx.signal("LONG", 1.5, "up"), close=5000.1)
    assert isinstance(signal, Signal)
    assert (signal.direction, signal.reason) == (SignalDirection.LONG, "up")
    assert signal.strength == 1
    assert signal.price == D(5000)
    assert signal.bar is not None and signal.bar.open_time == T0


def test_actions_are_ignored_while_warming_up() -> None:
    results: list[Any] = []

    def bar(ctx: StrategyContext, c: Candle) -> None:
        results.extend([ctx.buy(), ctx.sell(), ctx.close(), ctx.reverse(), ctx.live])
        ctx.signal("FLAT")
        ctx.cancel_all()

    runner = scripted(Script(bar))
    runner.warm(candle(0, 5000.0))
    assert results == [None, None, None, None, False]
    assert runner.ctx.intents == [] and runner.ctx.live
    assert runner.ctx.book.pending == {}


def test_history_and_indicators_default_to_the_bar_being_handled() -> None:
    seen: list[Any] = []
    extra = (Subscription(SYMBOL, "5m"),)

    def start(ctx: StrategyContext) -> None:
        seen.append(ctx.indicator("sma", period=1, timeframe="5m"))

    def bar(ctx: StrategyContext, c: Candle) -> None:
        seen.append((c.timeframe, len(ctx.history()), len(ctx.history(timeframe="5m"))))

    runner = scripted(Script(bar, on_start=start, extra=extra))
    runner.on_bar(candle(0, 10.0))
    runner.on_bar(candle(0, 20.0, timeframe="5m", step=5 * 60_000_000_000))
    assert seen[1:] == [("1m", 1, 0), ("5m", 1, 1)]
    assert seen[0].value == 20.0


def test_views_default_to_the_first_subscription_before_any_bar() -> None:
    runner = StrategyRunner(definition(), Script(), INSTRUMENTS)
    ctx = runner.ctx
    assert ctx.position() == ctx.intended() == ctx.average_price() == 0
    assert ctx.history().maxlen == 500
    assert ctx.working_orders() == []
    assert ctx.equity() == D(100_000)
