"""The runner: deterministic ids, replays, and the routing of order events."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from shared.messages.schemas.common import OrderSide
from shared.messages.schemas.order_events import (
    OrderAccepted,
    OrderCanceled,
    OrderExpired,
    OrderRejected,
)
from shared.messages.schemas.orders import CancelOrder, SubmitOrder
from shared.messages.schemas.reasons import RejectedCommand, RejectReason
from shared.messages.schemas.strategy import Signal
from shared.strategy.candles import Candle
from shared.strategy.catalog import runner_for
from shared.strategy.context import StrategyContext
from shared.strategy.definition import Subscription
from shared.trading.ids import derive_id
from tests.unit.strategy.support import (
    INSTRUMENTS,
    STRATEGY,
    SYMBOL,
    T0,
    Script,
    Sim,
    candle,
    definition,
    fill_of,
    scripted,
    sent,
    series,
)

D = Decimal
PREFIX = f"{STRATEGY.hex[:12]}-1-"
WAVE = [100 + 10 * ((i // 7) % 2) + (i % 7) * (1 if (i // 7) % 2 else -1) for i in range(80)]


def crossover_messages(candles: list[Candle]) -> list[tuple[uuid.UUID, Any]]:
    runner = runner_for(definition(parameters={"fast": 2, "slow": 5}), INSTRUMENTS)
    out = list(runner.start(T0))
    for c in candles:
        out.extend(runner.on_bar(c))
    return out


def test_client_order_ids_name_strategy_version_bar_and_rank() -> None:
    runner = scripted(Script(lambda ctx, bar: (ctx.buy(), ctx.sell(limit=6000.0))))
    emitted = runner.on_bar(candle(3, 5000.0))
    open_s = (T0 + 3 * 60_000_000_000) // 1_000_000_000
    ids = [p.client_order_id for p in sent(emitted)]
    assert ids == [f"{PREFIX}1m{open_s}-1", f"{PREFIX}1m{open_s}-2"]


def test_message_id_of_an_order_derives_from_its_client_order_id() -> None:
    runner = scripted(Script(lambda ctx, bar: ctx.buy()))
    ((message_id, payload),) = runner.on_bar(candle(0, 5000.0))
    assert isinstance(payload, SubmitOrder)
    assert message_id == derive_id(STRATEGY, payload.client_order_id)


def test_the_version_is_part_of_the_ids() -> None:
    runner = scripted(Script(lambda ctx, bar: ctx.buy()), definition(version=12))
    (payload,) = sent(runner.on_bar(candle(0, 5000.0)))
    assert payload.client_order_id.startswith(f"{STRATEGY.hex[:12]}-12-1m")
    assert payload.strategy_version == 12


def test_same_candles_give_the_same_messages_in_a_fresh_runner() -> None:
    first = crossover_messages(series(WAVE))
    assert len([p for _, p in first if isinstance(p, SubmitOrder)]) >= 4
    assert crossover_messages(series(WAVE)) == first


def test_a_replayed_bar_asks_for_the_same_order_again() -> None:
    """After a crash a fresh runner rebuilds its book from the fills, warms on the history
    and replays the bar: it asks for the order of the first attempt, with the same ids, so
    the order processor answers with the first outcome instead of trading twice."""
    candles = series(WAVE)
    d = definition(parameters={"fast": 2, "slow": 5})
    first = Sim(d).run(candles)
    assert len(first.fills) >= 3
    for bar, message_id, payload in first.emitted[-3:]:
        runner = runner_for(d, INSTRUMENTS)
        runner.start(T0)
        for fill in first.fills[: first.fills_before[bar]]:
            runner.on_event(fill)
        for c in candles[:bar]:
            runner.warm(c)
        assert runner.on_bar(candles[bar]) == [(message_id, payload)]


def test_warm_up_feeds_indicators_and_history_but_emits_nothing() -> None:
    seen: list[int] = []

    def bar(ctx: StrategyContext, c: Candle) -> None:
        seen.append(len(ctx.history()))
        ctx.buy()

    runner = scripted(Script(bar))
    runner.warm(candle(0, 1.0))
    runner.warm(candle(1, 2.0))
    assert seen == [1, 2]
    assert runner.ctx.book.pending == {}
    assert len(runner.on_bar(candle(2, 3.0))) == 1


def test_bars_of_other_series_are_ignored() -> None:
    strategy = Script()
    runner = scripted(strategy)
    assert runner.on_bar(candle(0, 1.0, timeframe="5m")) == ()
    assert runner.on_bar(candle(0, 1.0, symbol="NQZ6")) == ()
    assert [name for name, _ in strategy.calls] == ["start"]


def test_subscriptions_include_the_strategy_extras() -> None:
    extra = (Subscription(SYMBOL, "1h"),)
    runner = scripted(Script(extra=extra))
    assert runner.subscriptions == (Subscription(SYMBOL, "1m"), Subscription(SYMBOL, "1h"))
    assert runner.on_bar(candle(0, 1.0, timeframe="1h")) == ()
    assert len(runner.ctx.history(SYMBOL, "1h")) == 1


def test_start_and_stop_ids_name_the_run() -> None:
    strategy = Script(on_start=lambda ctx: ctx.buy(limit=4000.0), on_stop=lambda ctx: ctx.close())
    runner = scripted(strategy, start=False)
    (submit,) = sent(runner.start(T0, "r7"))
    assert submit.client_order_id == f"{PREFIX}sr7-1"
    runner.on_event(fill_of(submit, "4000"))
    (close,) = sent(runner.stop(T0 + 1, "r7"))
    assert close.client_order_id == f"{PREFIX}xr7-1"
    assert strategy.calls[-1] == ("stop", None)


def test_fills_go_to_on_fill_once_and_update_the_book() -> None:
    strategy = Script(lambda ctx, bar: ctx.buy(2))
    runner = scripted(strategy)
    (submit,) = sent(runner.on_bar(candle(0, 5000.0)))
    fill = fill_of(submit, "5000.25")
    runner.on_event(fill)
    assert runner.on_event(fill) == ()  # a duplicate is ignored
    assert [c for c in strategy.calls if c[0] == "fill"] == [("fill", fill)]
    assert runner.ctx.position() == 2
    assert runner.ctx.average_price() == D("5000.25")
    assert runner.ctx.book.pending == {}


def test_a_partial_fill_keeps_the_order_pending() -> None:
    runner = scripted(Script(lambda ctx, bar: ctx.sell(3)))
    (submit,) = sent(runner.on_bar(candle(0, 5000.0)))
    runner.on_event(fill_of(submit, "5000", quantity=D(1), leaves=D(2)))
    assert runner.ctx.position() == -1
    assert runner.ctx.intended() == -3
    assert runner.ctx.working_orders() == [submit.client_order_id]


def test_actions_in_on_fill_get_ids_from_the_fill() -> None:
    def on_fill(ctx: StrategyContext, fill: Any) -> None:
        ctx.sell(fill.quantity, stop=4990.0, reduce_only=True)

    runner = scripted(Script(lambda ctx, bar: ctx.buy(), on_fill=on_fill))
    (submit,) = sent(runner.on_bar(candle(0, 5000.0)))
    fill = fill_of(submit, "5000")
    ((message_id, stop),) = runner.on_event(fill)
    assert isinstance(stop, SubmitOrder)
    assert stop.client_order_id == f"{PREFIX}f{fill.fill_id.hex[:12]}-1"
    assert message_id == derive_id(STRATEGY, stop.client_order_id)
    assert (stop.side, stop.stop_price, stop.reduce_only) == (OrderSide.SELL, D(4990), True)


def _event(kind: type, submit: SubmitOrder, **extra: Any) -> Any:
    common = {
        "account_id": submit.account_id,
        "user_id": submit.user_id,
        "client_order_id": submit.client_order_id,
        "symbol": submit.symbol,
        "strategy_id": submit.strategy_id,
        "strategy_version": submit.strategy_version,
    }
    if kind is OrderRejected:
        return OrderRejected(**common, reason=RejectReason.MAX_ORDER_QTY, message="no", **extra)
    common["order_id"] = uuid.uuid5(STRATEGY, submit.client_order_id)
    if kind is OrderAccepted:
        return OrderAccepted(
            **common,
            side=submit.side,
            order_type=submit.order_type,
            quantity=submit.quantity,
            limit_price=submit.limit_price,
            time_in_force=submit.time_in_force,
        )
    return kind(**common, cum_quantity=D(0), leaves_quantity=submit.quantity)


def _working_limit() -> tuple[Any, Script, SubmitOrder]:
    strategy = Script(lambda ctx, bar: ctx.buy(limit=4000.0))
    runner = scripted(strategy)
    (submit,) = sent(runner.on_bar(candle(0, 5000.0)))
    assert runner.ctx.working_orders() == [submit.client_order_id]
    return runner, strategy, submit


def test_order_events_go_to_on_order_event() -> None:
    runner, strategy, submit = _working_limit()
    accepted = _event(OrderAccepted, submit)
    runner.on_event(accepted)
    assert strategy.calls[-1] == ("event", accepted)
    assert runner.ctx.working_orders() == [submit.client_order_id]


def test_cancel_expiry_and_rejected_submit_end_a_pending_order() -> None:
    for kind in (OrderCanceled, OrderExpired, OrderRejected):
        runner, strategy, submit = _working_limit()
        runner.on_event(_event(kind, submit))
        assert runner.ctx.working_orders() == [], kind
        assert strategy.calls[-1][0] == "event"


def test_a_rejected_cancel_leaves_the_order_working() -> None:
    runner, _, submit = _working_limit()
    runner.on_event(_event(OrderRejected, submit, command=RejectedCommand.CANCEL))
    assert runner.ctx.working_orders() == [submit.client_order_id]


def test_actions_on_order_events_get_ids_from_the_order_and_event_kind() -> None:
    def on_event(ctx: StrategyContext, event: Any) -> None:
        ctx.buy(limit=3900.0)

    strategy = Script(lambda ctx, bar: ctx.buy(limit=4000.0), on_event=on_event)
    runner = scripted(strategy)
    (submit,) = sent(runner.on_bar(candle(0, 5000.0)))
    rejected = _event(OrderRejected, submit)  # no order id: named by its client order id
    canceled = _event(OrderCanceled, submit)
    (after_reject,) = sent(runner.on_event(rejected))
    (after_cancel,) = sent(runner.on_event(canceled))
    assert after_reject.client_order_id.startswith(PREFIX + "o")
    assert after_reject.client_order_id.endswith("rejsub-1")
    assert after_cancel.client_order_id == f"{PREFIX}o{canceled.order_id.hex[:8]}can-1"


def test_cancels_and_signals_have_deterministic_message_ids() -> None:
    ids: list[str | None] = []

    def bar(ctx: StrategyContext, c: Candle) -> None:
        if c.open_time == T0:
            ids.append(ctx.buy(limit=4000.0))
        else:
            ctx.cancel(str(ids[0]))
            ctx.signal("FLAT", 0.5, "done")

    def run() -> list[tuple[uuid.UUID, Any]]:
        ids.clear()
        runner = scripted(Script(bar))
        runner.on_bar(candle(0, 5000.0))
        return list(runner.on_bar(candle(1, 5000.0)))

    first = run()
    assert [type(p) for _, p in first] == [CancelOrder, Signal]
    assert run() == first
    open_s = (T0 + 60_000_000_000) // 1_000_000_000
    assert first[0][0] == derive_id(STRATEGY, "cancel", f"{PREFIX}1m{open_s}-1")
    assert first[1][0] == derive_id(STRATEGY, 1, "signal", f"1m{open_s}", 2)
