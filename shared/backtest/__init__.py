"""The backtester: strategies over historical candles through the live trading code.

``run_backtest(definition, data, options)`` runs a strategy version (``shared.strategy``)
over ``BarSeries`` (from ``csv_source.load_csv``, ``parquet_source.load_parquet``,
``influx_source.load_influx`` or ``series``) and returns a ``BacktestResult``: trades, the
equity curve, orders, fills and statistics. ``sweep.run_sweep`` runs a parameter grid on
every core; ``jobs`` maps ``RunBacktest`` / ``BacktestCompleted``.
"""

from shared.backtest.bars import BarSeries, DataError, series
from shared.backtest.options import BacktestOptions, FillAt, OpenTrades
from shared.backtest.results import BacktestResult, EquityCurve, Trade
from shared.backtest.run import run_backtest

__all__ = [
    "BacktestOptions",
    "BacktestResult",
    "BarSeries",
    "DataError",
    "EquityCurve",
    "FillAt",
    "OpenTrades",
    "Trade",
    "run_backtest",
    "series",
]
