"""A strategy runner and the trading engine wired together on a simulated clock.

What the strategy emits goes to the engine as the order processor would receive it
(``engine.handle(payload, message_id, now)``); the engine's order events go back to the
runner as validated payloads, as the live worker receives them from ``orders.events``;
position events become trades. The engine sees a symbol's bars only while it has working
orders there (``shared.backtest.market``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from shared.backtest.bars import BarSeries
from shared.backtest.market import show_bar, show_close
from shared.backtest.recorder import Recorder
from shared.backtest.symbols import SymbolState, dec
from shared.messages.envelope import Payload
from shared.messages.schemas.order_events import (
    OrderAccepted,
    OrderCanceled,
    OrderExpired,
    OrderFilled,
    OrderModified,
    OrderRejected,
    OrderTriggered,
)
from shared.messages.schemas.positions import PositionClosed, PositionOpened
from shared.messages.schemas.strategy import Signal
from shared.strategy.candles import Candle
from shared.strategy.runner import Emitted, StrategyRunner
from shared.trading.engine import TradingEngine
from shared.trading.events import Event

ORDER_EVENTS = frozenset(
    {
        OrderAccepted,
        OrderRejected,
        OrderTriggered,
        OrderFilled,
        OrderCanceled,
        OrderExpired,
        OrderModified,
    }
)

QUIET_EVENTS: frozenset[type[Payload]] = frozenset({OrderAccepted, OrderTriggered, OrderModified})
"""Order events that neither end an order nor fill it: a runner whose strategy does not
listen to order events does nothing with them."""
_NONE: frozenset[type[Payload]] = frozenset()


class Simulation:
    """One backtest's runner, engine, per-symbol state and recorder."""

    def __init__(
        self,
        runner: StrategyRunner,
        engine: TradingEngine,
        executions: Sequence[BarSeries],
        recorder: Recorder,
    ) -> None:
        self.runner = runner
        self.engine = engine
        definition = runner.definition
        self.account = definition.account_id
        self.strategy_id = definition.strategy_id
        self.states = [SymbolState(i, bars) for i, bars in enumerate(executions)]
        self.by_name = {s.name: s for s in self.states}
        self.recorder = recorder
        self.step = -1
        """The timeline step (execution bar over all symbols) being processed."""
        self.signals: list[Signal] = []
        self._filled: set[int] = set()

    def engine_bar(self, state: SymbolState, candle: Candle) -> None:
        """Show an execution bar to the engine: working orders fill along its path."""
        self.settle(self.process(show_bar(self.engine.state, state, candle)), candle[3])

    def fill_at_close(self, state: SymbolState, candle: Candle) -> None:
        """A market point at the candle's close: orders just sent fill there."""
        self.settle(self.process(show_close(self.engine.state, state, candle)), candle[3])

    def dispatch(self, emitted: Sequence[Emitted], now_ns: int) -> None:
        """Send what the strategy emitted, and what it emits in answer to the outcomes."""
        queue = deque(emitted)
        handle, last_price = self.engine.handle, self.engine.state.last_price
        for state in self.states:
            if state.bar >= 0:
                # Risk checks may price market orders at the last close. Commands never
                # fill (fills come from market points, and ``show_bar``/``show_close`` mark
                # the position through the bars before theirs first): no mark needed here.
                last_price[state.name] = dec(state.last_close())
        while queue:
            message_id, payload = queue.popleft()
            if isinstance(payload, Signal):
                self.signals.append(payload)
                continue
            queue.extend(self.process(handle(payload, message_id, now_ns)))
        self.settle((), now_ns)

    def mark_positions(self) -> None:
        """Mark every open position at the prices of the bars up to the current one."""
        for state in self.states:
            if state.bar >= 0:
                state.mark_through(state.bar)

    def process(self, events: list[Event]) -> list[Emitted]:
        """Route engine events: order events to the runner, position events to the trades."""
        out: list[Emitted] = []
        recorder, strategy_id = self.recorder, self.strategy_id
        unheard = _NONE if self.runner.hears_order_events else QUIET_EVENTS
        for event in events:
            kind, fields = event
            if kind in ORDER_EVENTS:
                if kind is OrderFilled:
                    self._filled.add(self.by_name[fields["symbol"]].id)
                if kind in unheard:
                    continue  # the runner would only pass it to a no-op: skip its payload
                if fields.get("strategy_id") == strategy_id:
                    out.extend(self.runner.on_event(event.payload()))  # type: ignore[arg-type]
            elif kind is PositionOpened:
                recorder.opened(fields, self.by_name[fields["symbol"]].bar)
            elif kind is PositionClosed:
                state = self.by_name[fields["symbol"]]
                recorder.closed(fields, state.id, state.bar)
        return out

    def settle(self, emitted: Sequence[Emitted], now_ns: int) -> None:
        """After engine calls: answer the strategy's reactions, refresh per-symbol state."""
        if emitted:
            self.dispatch(emitted, now_ns)
            return
        book, positions, account = self.engine.state.book, self.engine.state.positions, self.account
        for state in self.states:
            state.working = book.has_working(state.name)
        for symbol_id in self._filled:
            state = self.states[symbol_id]
            state.position = positions.get(account, state.name)
            self.recorder.state(symbol_id, state.position, self.step)
        self._filled.clear()
