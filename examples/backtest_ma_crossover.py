"""Backtest the moving-average crossover on the sample candles, from Python.

uv run python examples/backtest_ma_crossover.py
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from shared.backtest import BacktestOptions, run_backtest
from shared.backtest.csv_source import load_csv
from shared.strategy.definition import StrategyDefinition, Subscription

SAMPLE = Path(__file__).parent / "data" / "ESZ6-1m.csv"


def main() -> None:
    definition = StrategyDefinition(
        strategy_id=uuid.uuid5(uuid.NAMESPACE_URL, "example/ma-crossover"),
        version=1,
        user_id=uuid.UUID(int=1),
        account_id=uuid.UUID(int=2),
        code_ref="builtin:ma_crossover",
        subscriptions=(Subscription("ESZ6", "1m"),),
        parameters={"fast": 20, "slow": 60},
    )
    options = BacktestOptions(commission_per_contract=Decimal("2.25"), slippage_ticks=1)
    result = run_backtest(definition, load_csv(SAMPLE), options)
    for trade in result.trades[:5]:
        print(
            f"{trade.side.value:5} {trade.entry_price} -> {trade.exit_price} "
            f"bars {trade.entry_bar}-{trade.exit_bar}  net {trade.net_pnl}"
        )
    stats = result.statistics
    print(f"{stats.trades} trades, net profit {stats.net_profit}, Sharpe {stats.sharpe}")


if __name__ == "__main__":
    main()
