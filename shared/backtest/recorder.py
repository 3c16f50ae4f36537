"""Bookkeeping of a run as it goes: trades from position events, equity as step functions.

The equity at a bar close is ``capital + sum over symbols (a + b * last close)``, where
for each symbol ``b`` is the open quantity times the signed point value and ``a`` the
realized P&L (commissions included) minus the open lots' cost times the same factor. Both
change only at fills, so they are recorded then, with the timeline step, and the curve is
built with numpy at the end: nothing is spent on equity in bars without fills.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from shared.backtest.results import Trade
from shared.trading.positions import Position

ZERO = Decimal(0)


class Recorder:
    """Trades, their entry bars, realized P&L and the equity steps of one run."""

    def __init__(self, symbols: list[str]) -> None:
        self.symbols = symbols
        self.trades: list[Trade] = []
        self.entry_bars: dict[uuid.UUID, int] = {}
        self.closed_pnl = [ZERO] * len(symbols)
        # Per symbol: the timeline steps where (a, b) changed, and the values from there.
        self.steps: list[list[int]] = [[] for _ in symbols]
        self.a: list[list[float]] = [[] for _ in symbols]
        self.b: list[list[float]] = [[] for _ in symbols]

    def opened(self, fields: dict[str, Any], bar: int) -> None:
        """A ``PositionOpened`` event's fields, at the symbol's bar ``bar``."""
        self.entry_bars[fields["position_id"]] = bar

    def closed(self, fields: dict[str, Any], symbol_id: int, bar: int) -> None:
        """A ``PositionClosed`` event's fields: a trade, exited at bar ``bar``."""
        self.closed_pnl[symbol_id] += fields["realized_pnl"]
        self.trades.append(
            Trade(
                position_id=fields["position_id"],
                symbol=fields["symbol"],
                side=fields["side"],
                quantity=fields["max_quantity"],
                entry_time=fields["opened_at"],
                entry_bar=self.entry_bars.pop(fields["position_id"]),
                entry_price=fields["avg_entry_price"],
                exit_time=fields["closed_at"],
                exit_bar=bar,
                exit_price=fields["avg_exit_price"],
                gross_pnl=fields["gross_pnl"],
                commission=fields["commissions"],
                net_pnl=fields["realized_pnl"],
                mae=fields["max_adverse_excursion"],
                mfe=fields["max_favorable_excursion"],
            )
        )

    def state(self, symbol_id: int, position: Position | None, step: int) -> None:
        """The symbol's position after fills at timeline step ``step``."""
        a = self.closed_pnl[symbol_id]
        b = ZERO
        if position is not None:
            factor = position.signed_point_value
            a += position.realized_pnl - position.open_notional * factor
            b = position.quantity * factor
        steps = self.steps[symbol_id]
        if steps and steps[-1] == step:  # a later fill in the same step wins
            self.a[symbol_id][-1], self.b[symbol_id][-1] = float(a), float(b)
        else:
            steps.append(step)
            self.a[symbol_id].append(float(a))
            self.b[symbol_id].append(float(b))

    def open_trade(self, position: Position, bar: int, mark: Decimal) -> Trade:
        """An open position as a trade marked at ``mark`` (its exit price)."""
        gross = position.gross_pnl + position.unrealized_pnl(mark)
        return Trade(
            position_id=position.position_id,
            symbol=position.symbol,
            side=position.side,
            quantity=position.max_quantity,
            entry_time=position.opened_ns,
            entry_bar=self.entry_bars.get(position.position_id, bar),
            entry_price=position.avg_entry_price,
            exit_time=None,
            exit_bar=None,
            exit_price=mark,
            gross_pnl=gross,
            commission=position.commissions,
            net_pnl=gross - position.commissions,
            mae=position.mae,
            mfe=position.mfe,
            closed=False,
        )
