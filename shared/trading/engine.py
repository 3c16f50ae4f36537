"""The trading engine: commands and market data in, events out, state kept in memory.

Synchronous and free of I/O, so the order processor and the backtester run the same code.
Each call returns the events it caused, in order; ``take_changes`` hands over the orders,
fills, positions and risk settings changed since the last call, for the ledger to write.
Times come in with the calls: the engine never reads a clock.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from shared.instruments import InstrumentRegistry
from shared.messages.envelope import Payload
from shared.messages.schemas.orders import (
    CancelAll,
    CancelOrder,
    FlattenAll,
    ModifyOrder,
    SubmitOrder,
)
from shared.messages.schemas.risk_limits import SetRiskLimits, SetTradingState
from shared.trading import admin, amend, sweeps
from shared.trading.bar_path import MarketPoint, bar_points
from shared.trading.events import Event
from shared.trading.execution import work_point
from shared.trading.lifecycle import expire_due
from shared.trading.state import Changes, EngineConfig, EngineState
from shared.trading.submit import submit

CommandHandler = Callable[[EngineState, Any, uuid.UUID, int], list[Event]]


def _submit(st: EngineState, cmd: SubmitOrder, command_id: uuid.UUID, now: int) -> list[Event]:
    if cmd.strategy_id is not None and cmd.strategy_version is not None:
        st.strategy_versions[cmd.strategy_id] = cmd.strategy_version
    return submit(st, cmd, command_id, now)


COMMAND_HANDLERS: dict[type[Payload], CommandHandler] = {
    SubmitOrder: _submit,
    CancelOrder: lambda st, cmd, _id, now: amend.cancel_order(st, cmd, now),
    ModifyOrder: lambda st, cmd, _id, now: amend.modify_order(st, cmd, now),
    CancelAll: lambda st, cmd, cause, now: sweeps.sweep(st, cmd, False, cause, now),
    FlattenAll: lambda st, cmd, cause, now: sweeps.sweep(st, cmd, True, cause, now),
    SetRiskLimits: lambda st, cmd, _id, _now: admin.set_limits(st, cmd),
    SetTradingState: lambda st, cmd, _id, _now: admin.set_state(st, cmd),
}
"""Command type -> handler: the order processor's commands, one explicit map."""


class TradingEngine:
    """Orders, risk, the paper exchange and positions of the accounts it holds."""

    def __init__(self, instruments: InstrumentRegistry, config: EngineConfig | None = None) -> None:
        self.state = EngineState(instruments, config or EngineConfig())
        self._trade_symbols: set[str] = set()

    def handle(self, command: Payload, command_id: uuid.UUID, now_ns: int) -> list[Event]:
        """Apply a command; ``command_id`` (its message id) names what it creates."""
        handler = COMMAND_HANDLERS.get(type(command))
        if handler is None:
            raise TypeError(f"the trading engine does not handle {command.TYPE}")
        return handler(self.state, command, command_id, now_ns)

    def on_trade(
        self, symbol: str, price: Decimal, size: Decimal, trade_id: str, ts_ns: int
    ) -> list[Event]:
        """A market trade: working orders of the symbol may trigger and fill."""
        self._trade_symbols.add(symbol)
        events: list[Event] = []
        work_point(self.state, symbol, MarketPoint(price, size, trade_id, ts_ns), events)
        self.state.watch_accounts()
        if self.state.loss_watch:
            events.extend(sweeps.check_daily_loss(self.state, symbol, ts_ns))
        return events

    def on_bar(
        self,
        symbol: str,
        open_ns: int,
        close_ns: int,
        ohlc: tuple[Decimal, Decimal, Decimal, Decimal],
        volume: Decimal,
    ) -> list[Event]:
        """A closed bar of a symbol without trades: orders fill along the bar's path."""
        if symbol in self._trade_symbols:
            return []  # trades fill this symbol; its bars would fill the same moves twice
        events: list[Event] = []
        o, h, low, c = ohlc
        for point in bar_points(symbol, open_ns, close_ns, o, h, low, c, volume):
            work_point(self.state, symbol, point, events)
        self.state.watch_accounts()
        if self.state.loss_watch:
            events.extend(sweeps.check_daily_loss(self.state, symbol, close_ns))
        return events

    def on_time(self, now_ns: int) -> list[Event]:
        """The clock moved: DAY orders past their session close expire."""
        return expire_due(self.state, now_ns)

    def take_changes(self) -> Changes:
        """What changed since the last call (and start afresh)."""
        changes, self.state.changes = self.state.changes, Changes()
        return changes
