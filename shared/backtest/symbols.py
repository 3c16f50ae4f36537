"""Per-symbol state of a run, and the float-to-Decimal conversion at the engine's door."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from shared.backtest.bars import BarSeries
from shared.trading.positions import Position

_highest, _lowest = np.maximum.reduce, np.minimum.reduce


def dec(value: float) -> Decimal:
    """A float price or size as the Decimal its shortest text spells (5000.25 exactly)."""
    return Decimal(repr(value))


class SymbolState:
    """What the loop keeps per symbol between engine calls."""

    __slots__ = ("bar", "bars", "id", "name", "position", "seen", "working")

    def __init__(self, symbol_id: int, bars: BarSeries) -> None:
        self.name = bars.symbol
        self.id = symbol_id
        self.bars = bars
        """The symbol's execution bars."""
        self.working = False
        """The engine has working orders in the symbol: its bars must go to the engine."""
        self.position: Position | None = None
        self.bar = -1
        """The index of the execution bar being processed (set by the loop)."""
        self.seen = -1
        """The open position has been marked at every price of the bars up to this one."""

    def last_close(self) -> float:
        """The close of the current execution bar."""
        return float(self.bars.close[self.bar])

    def mark_through(self, bar: int) -> None:
        """Mark the open position at the highest high and lowest low of the bars after
        ``seen`` up to ``bar``.

        The loop does not show the engine bars without working orders. Between engine calls
        the position does not change, so its unrealized P&L moves with the price alone and
        its excursions can only grow at the stretch's extremes: marking those two prices
        gives the excursions a mark at every price of every bar would.
        """
        position, first = self.position, self.seen + 1
        if position is not None and bar >= first:
            position.observe(dec(float(_highest(self.bars.high[first : bar + 1]))))
            position.observe(dec(float(_lowest(self.bars.low[first : bar + 1]))))
        self.seen = max(self.seen, bar)
