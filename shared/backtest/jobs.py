"""Backtest jobs from the bus: ``RunBacktest`` in, ``BacktestCompleted`` out."""

from __future__ import annotations

from decimal import Decimal

from shared.backtest.options import BacktestOptions
from shared.backtest.results import BacktestResult
from shared.messages.schemas.backtest import BacktestCompleted, RunBacktest
from shared.trading.matching import LimitFill

CENT = Decimal("0.01")


def options_of(request: RunBacktest) -> BacktestOptions:
    """The run's options: the request's capital, slippage and limit fill rule."""
    return BacktestOptions(
        capital=request.initial_capital,
        slippage_ticks=request.slippage_ticks,
        limit_fill=LimitFill.TOUCH if request.fill_limit_on_touch else LimitFill.THROUGH,
    )


def completed(
    request: RunBacktest, result: BacktestResult, started_at: int, finished_at: int
) -> BacktestCompleted:
    """The headline figures of a finished run (closed trades; amounts exact, the drawdown
    and ratios rounded)."""
    stats = result.statistics
    trades = result.trades
    gross = sum((t.gross_pnl for t in trades), Decimal(0))
    fees = sum((t.commission for t in trades), Decimal(0))
    return BacktestCompleted(
        account_id=request.account_id,
        user_id=request.user_id,
        backtest_id=request.backtest_id,
        strategy_id=request.strategy_id,
        strategy_version=request.strategy_version,
        bars_processed=result.bars,
        order_count=len(result.orders),
        fill_count=len(result.fills),
        trade_count=len(trades),
        winning_trades=stats.winning_trades,
        losing_trades=stats.losing_trades,
        gross_pnl=gross,
        commissions=fees,
        net_pnl=gross - fees,
        max_drawdown=Decimal(repr(stats.max_drawdown)).quantize(CENT),
        currency=request.currency,
        profit_factor=_rounded(stats.profit_factor),
        sharpe_ratio=_rounded(stats.sharpe),
        started_at=started_at,
        finished_at=finished_at,
    )


def _rounded(value: Decimal | float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(float(value))).quantize(Decimal("0.0001"))
