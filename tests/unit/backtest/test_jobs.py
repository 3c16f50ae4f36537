"""A bus request's options, and a run's headline figures as ``BacktestCompleted``."""

from __future__ import annotations

import uuid
from decimal import Decimal

from shared.backtest import run_backtest
from shared.backtest.jobs import completed, options_of
from shared.backtest.synthetic import random_walk
from shared.messages.schemas.backtest import RunBacktest
from shared.trading.matching import LimitFill
from tests.unit.backtest.support import ACCOUNT, STRATEGY, USER, definition


def request() -> RunBacktest:
    bars = random_walk(2)
    return RunBacktest(
        account_id=ACCOUNT,
        user_id=USER,
        backtest_id=uuid.UUID(int=9),
        strategy_id=STRATEGY,
        strategy_version=1,
        symbols=("ESZ6",),
        timeframe="1m",
        start_time=int(bars.open_time[0]),
        end_time=int(bars.close_time[-1]),
        initial_capital=Decimal(50_000),
        slippage_ticks=2,
        fill_limit_on_touch=True,
    )


def test_a_request_gives_its_capital_slippage_and_limit_rule() -> None:
    options = options_of(request())

    assert options.capital == Decimal(50_000) and options.slippage_ticks == 2
    assert options.limit_fill is LimitFill.TOUCH


def test_a_result_becomes_a_consistent_completion() -> None:
    ask = request()
    result = run_backtest(definition(fast=5, slow=20), [random_walk(800)], options_of(ask))
    message = completed(ask, result, 1, 2)

    assert message.trade_count == len(result.trades) > 10
    assert message.net_pnl == sum(t.net_pnl for t in result.trades)
    assert message.fill_count == len(result.fills)
    assert message.max_drawdown == Decimal(repr(result.statistics.max_drawdown)).quantize(
        Decimal("0.01")
    )
    assert message.winning_trades + message.losing_trades <= message.trade_count
