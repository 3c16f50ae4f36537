"""All the statistics of one run (a backtest, or an account's history) in one object."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from shared.stats import returns as r
from shared.stats import trades as t
from shared.stats.drawdown import Floats, Times, max_drawdown


class TradeLike(Protocol):
    """What the statistics read from a closed trade."""

    @property
    def net_pnl(self) -> Decimal: ...

    @property
    def gross_pnl(self) -> Decimal: ...

    @property
    def commission(self) -> Decimal: ...


@dataclass(frozen=True, slots=True)
class Statistics:
    """Performance figures; amounts in the account's currency, fractions as floats.

    Trade figures (counts, win rate, profit factor, averages, expectancy, gross P&L,
    commissions) cover closed trades. ``net_profit`` and the returns come from the final
    equity, so they include open trades at their last mark. See ``summarize`` for the
    formulas and ``shared.stats.returns`` for the annualisation.
    """

    starting_capital: Decimal
    final_equity: Decimal
    net_profit: Decimal
    total_return: float
    cagr: float | None
    max_drawdown: float
    max_drawdown_pct: float
    max_drawdown_duration_ns: int
    sharpe: float | None
    sortino: float | None
    trades: int
    winning_trades: int
    losing_trades: int
    win_rate: float | None
    profit_factor: Decimal | None
    expectancy: Decimal | None
    average_win: Decimal | None
    average_loss: Decimal | None
    gross_pnl: Decimal
    commissions: Decimal
    exposure: float
    buy_and_hold_return: float | None

    def as_dict(self) -> dict[str, Any]:
        """Field name -> value (for tables, JSON and ranking)."""
        return asdict(self)


def summarize(
    *,
    capital: Decimal,
    trades: Sequence[TradeLike],
    final_equity: Decimal,
    times: Times,
    equity: Floats,
    in_market: npt.NDArray[np.bool_],
    start_ns: int,
    first_price: float | None = None,
    last_price: float | None = None,
    periods_per_year: int = r.TRADING_DAYS,
    risk_free: float = 0.0,
) -> Statistics:
    """The statistics of a run.

    ``equity`` is the curve at ``times`` (bar closes) after starting at ``capital`` at
    ``start_ns``; ``in_market`` marks the points where a position was open, so
    ``exposure`` is the fraction of bars spent in the market. ``first_price`` (the first
    bar's open) and ``last_price`` (the last close) give the instrument's buy-and-hold
    return ``last / first - 1``.
    """
    start = float(capital)
    end = float(final_equity)
    pnls = [trade.net_pnl for trade in trades]
    drawdown = max_drawdown(times, equity, start, start_ns)
    daily = r.daily_returns(times, equity, start)
    end_ns = int(times[-1]) if len(times) else start_ns
    hold = None
    if first_price is not None and last_price is not None and first_price > 0:
        hold = last_price / first_price - 1.0
    return Statistics(
        starting_capital=capital,
        final_equity=final_equity,
        net_profit=final_equity - capital,
        total_return=r.total_return(start, end),
        cagr=r.cagr(start, end, start_ns, end_ns),
        max_drawdown=drawdown.amount,
        max_drawdown_pct=drawdown.percent,
        max_drawdown_duration_ns=drawdown.duration_ns,
        sharpe=r.sharpe(daily, periods_per_year, risk_free),
        sortino=r.sortino(daily, periods_per_year, risk_free),
        trades=len(pnls),
        winning_trades=len(t.wins(pnls)),
        losing_trades=len(t.losses(pnls)),
        win_rate=t.win_rate(pnls),
        profit_factor=t.profit_factor(pnls),
        expectancy=t.expectancy(pnls),
        average_win=t.average_win(pnls),
        average_loss=t.average_loss(pnls),
        gross_pnl=sum((trade.gross_pnl for trade in trades), Decimal(0)),
        commissions=sum((trade.commission for trade in trades), Decimal(0)),
        exposure=float(np.mean(in_market)) if len(in_market) else 0.0,
        buy_and_hold_return=hold,
    )
