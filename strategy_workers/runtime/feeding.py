"""Bars and order events into the strategies (with ``desk.lock`` held); what they emit.

A bar goes to every slot subscribed to its symbol and timeframe: a RUNNING strategy gets
``on_bar`` and its orders and signals come back as messages (``ts_event`` the bar's close,
caused by the bar); a PAUSED one is only warmed (its state kept, nothing sent). A slot's
first bar is preceded by its warm-up from the stored candles (``domain.warmup``). An order
event goes to the slot of its strategy. A strategy that raises is put aside alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from shared.bus.types import AnyEnvelope
from shared.messages.schemas.marketdata import Bar
from shared.messages.schemas.order_events import OrderEvent, OrderRejected
from shared.messages.schemas.strategy import StrategyStatus
from shared.strategy.candles import Candle, candle_of
from shared.strategy.definition import Subscription
from shared.strategy.runner import Emitted
from strategy_workers import metrics
from strategy_workers.domain.restore import settle_resent
from strategy_workers.domain.slots import Slot, quietly
from strategy_workers.domain.warmup import warm_sequence
from strategy_workers.runtime.desk import Desk

RUNNING = StrategyStatus.RUNNING
Stored = dict[Subscription, list[Candle]]


async def on_bar(desk: Desk, envelope: AnyEnvelope) -> list[AnyEnvelope]:
    """Feed a ``Bar`` to the strategies subscribed to it."""
    bar: Bar = envelope.payload
    candle = candle_of(bar)
    metrics.BARS.inc()
    out: list[AnyEnvelope] = []
    stored: Stored = {}  # strategies on the same markets share one read of the history
    for strategy_id in desk.routes(candle.symbol, candle.timeframe):
        slot = desk.slots.get(strategy_id)
        if slot is None or not slot.fresh(candle):
            continue
        series = [] if slot.warmed else await _history(desk, slot, candle, stored)
        where = "on_bar"
        try:
            if not slot.warmed:
                where = "warm-up"
                _warm(slot, series, candle, desk.config.warmup_bars)
                where = "on_bar"
            emitted = _feed(slot, candle)
        except Exception as exc:  # this strategy only; the others get the bar
            out += await desk.fail(slot, where, exc)
            continue
        slot.note(candle)
        out += desk.envelopes(emitted, ts_event=bar.close_time, cause=envelope)
    return out


async def on_event(desk: Desk, envelope: AnyEnvelope) -> list[AnyEnvelope]:
    """Feed an order event to the strategy whose order it is (if it runs here)."""
    event: OrderEvent | OrderRejected = envelope.payload
    slot = desk.slots.get(event.strategy_id) if event.strategy_id is not None else None
    if slot is None or event.account_id != slot.definition.account_id:
        return []
    runner = slot.runner
    try:
        if slot.status is RUNNING:
            emitted = runner.on_event(event)
        else:
            quietly(runner, lambda: runner.on_event(event))
            emitted = ()
    except Exception as exc:
        return await desk.fail(slot, "on_event", exc)
    return desk.envelopes(emitted, ts_event=envelope.ts_event, cause=envelope)


async def _history(desk: Desk, slot: Slot, live: Candle, stored: Stored) -> list[list[Candle]]:
    """Each subscription's stored candles opened before ``live`` closed (a few too many)."""
    depth = desk.config.warmup_bars
    if depth <= 0:
        return []
    series = []
    for sub in slot.runner.subscriptions:
        found = stored.get(sub)
        if found is None:
            # one more than the depth: the live bar itself, or a longer one closing with
            # it, may be among them and is left out of the warm-up
            found = await desk.history.before(sub.symbol, sub.timeframe, live.close_time, depth + 1)
            stored[sub] = found
        series.append(found)
    return series


def _warm(slot: Slot, series: Sequence[Sequence[Candle]], live: Candle, depth: int) -> None:
    runner = slot.runner
    for candle in warm_sequence(series, live, depth):
        if slot.fresh(candle):
            runner.warm(candle)
            slot.note(candle)
    slot.warmed = True


def _feed(slot: Slot, candle: Candle) -> Sequence[Emitted]:
    runner = slot.runner
    if slot.status is not RUNNING:
        runner.warm(candle)
        return ()
    if not slot.known:
        return runner.on_bar(candle)
    before = dict(runner.ctx.book.pending)
    emitted = runner.on_bar(candle)
    settle_resent(runner, slot.known, before, emitted)
    return emitted
