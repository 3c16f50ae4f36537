"""Performance statistics of trades and equity curves: pure functions, shared by the
backtester and the analytics service."""

from shared.stats.drawdown import Drawdown, max_drawdown
from shared.stats.returns import (
    TRADING_DAYS,
    cagr,
    daily_returns,
    sharpe,
    sortino,
    total_return,
)
from shared.stats.summary import Statistics, TradeLike, summarize
from shared.stats.trades import (
    average_loss,
    average_win,
    expectancy,
    losses,
    profit_factor,
    win_rate,
    wins,
)

__all__ = [
    "TRADING_DAYS",
    "Drawdown",
    "Statistics",
    "TradeLike",
    "average_loss",
    "average_win",
    "cagr",
    "daily_returns",
    "expectancy",
    "losses",
    "max_drawdown",
    "profit_factor",
    "sharpe",
    "sortino",
    "summarize",
    "total_return",
    "win_rate",
    "wins",
]
