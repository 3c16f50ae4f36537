"""What a backtest produces: trades, the equity curve, orders, fills and the statistics."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from shared.backtest.bars import Floats, Times
from shared.messages.schemas.common import PositionSide
from shared.messages.schemas.strategy import Signal
from shared.stats import Statistics
from shared.trading.fills import Fill
from shared.trading.orders import Order


@dataclass(frozen=True, slots=True)
class Trade:
    """One position's life, from its opening fill until flat (or the end of the data).

    Bars are indices into the symbol's execution bars (the finest timeframe loaded): the
    bar during which the entry (exit) fill happened. Prices are quantity-weighted averages
    over the entry (exit) fills. ``commission`` covers entries and exits; ``net_pnl`` is
    ``gross_pnl - commission``. ``mae`` (<= 0) and ``mfe`` (>= 0) are the worst and best
    unrealized P&L seen while open. An open trade (``closed`` False) has no exit time or
    bar: its exit price is the last close it is marked at and its P&L is unrealized there.
    """

    position_id: uuid.UUID
    symbol: str
    side: PositionSide
    quantity: Decimal
    entry_time: int
    entry_bar: int
    entry_price: Decimal
    exit_time: int | None
    exit_bar: int | None
    exit_price: Decimal
    gross_pnl: Decimal
    commission: Decimal
    net_pnl: Decimal
    mae: Decimal
    mfe: Decimal
    closed: bool = True

    @property
    def duration_ns(self) -> int | None:
        """How long the trade was open (None while open)."""
        return None if self.exit_time is None else self.exit_time - self.entry_time


@dataclass(frozen=True, eq=False)
class EquityCurve:
    """Account equity (cash plus open positions at the last closes) after each bar close.

    ``in_market`` is True where a position was open at that close. Floats: the curve is for
    statistics and charts; the trades hold the exact ledger amounts.
    """

    times: Times
    values: Floats
    in_market: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.times)


@dataclass(frozen=True, eq=False)
class BacktestResult:
    """Everything one backtest produced; ``statistics`` are computed from the rest."""

    capital: Decimal
    trades: list[Trade]
    open_trades: list[Trade]
    equity: EquityCurve
    orders: list[Order]
    fills: list[Fill]
    statistics: Statistics
    bars: int
    """Execution bars processed."""
    candles: int
    """Candles delivered to the strategy."""
    signals: list[Signal] = field(default_factory=list)

    @property
    def final_equity(self) -> Decimal:
        """Capital plus the net P&L of every trade, open ones at their last mark."""
        return self.capital + self.net_pnl

    @property
    def net_pnl(self) -> Decimal:
        """Net P&L of closed and open trades (exact)."""
        return sum((t.net_pnl for t in (*self.trades, *self.open_trades)), Decimal(0))
