"""Statistics of a list of trades' net P&L, exact in ``Decimal``."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

ZERO = Decimal(0)


def wins(pnls: Sequence[Decimal]) -> list[Decimal]:
    """The winning trades' P&L (above zero)."""
    return [p for p in pnls if p > 0]


def losses(pnls: Sequence[Decimal]) -> list[Decimal]:
    """The losing trades' P&L (below zero); break-even trades are neither."""
    return [p for p in pnls if p < 0]


def win_rate(pnls: Sequence[Decimal]) -> float | None:
    """Winning trades / all trades; None without trades."""
    return len(wins(pnls)) / len(pnls) if pnls else None


def profit_factor(pnls: Sequence[Decimal]) -> Decimal | None:
    """Gross profit / gross loss (both >= 0); None without a losing trade."""
    lost = -sum(losses(pnls), ZERO)
    if not lost:
        return None
    return sum(wins(pnls), ZERO) / lost


def expectancy(pnls: Sequence[Decimal]) -> Decimal | None:
    """The average net P&L per trade; None without trades."""
    return sum(pnls, ZERO) / len(pnls) if pnls else None


def average_win(pnls: Sequence[Decimal]) -> Decimal | None:
    """The average winning trade; None without one."""
    won = wins(pnls)
    return sum(won, ZERO) / len(won) if won else None


def average_loss(pnls: Sequence[Decimal]) -> Decimal | None:
    """The average losing trade (negative); None without one."""
    lost = losses(pnls)
    return sum(lost, ZERO) / len(lost) if lost else None
