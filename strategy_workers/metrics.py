"""Prometheus metrics of the strategy workers (metric objects only; no connections)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

BARS = Counter("tickstream_strategy_bars", "Bars handled by the strategy workers.")
ORDERS = Counter("tickstream_strategy_orders", "Orders the strategies sent (SubmitOrder).")
SIGNALS = Counter("tickstream_strategy_signals", "Signals the strategies published.")
ERRORS = Counter(
    "tickstream_strategy_errors",
    "Strategies stopped as FAILED because they raised, by strategy.",
    ["strategy"],
)
RUNNING = Gauge(
    "tickstream_strategies_running", "Strategies this worker runs, by status.", ["status"]
)
BAR_TO_ORDER = Histogram(
    "tickstream_strategy_bar_to_order_seconds",
    "From a bar's message being made (its ts_init) to the ack of the orders it caused.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
BACKTESTS = Counter(
    "tickstream_strategy_backtests",
    "Backtest jobs answered, by outcome (COMPLETED or the BacktestFailed error code).",
    ["outcome"],
)
BACKTESTS_RUNNING = Gauge("tickstream_strategy_backtests_running", "Backtests running here.")
BACKTEST_SECONDS = Histogram(
    "tickstream_strategy_backtest_seconds",
    "Time a backtest spent in its worker process.",
    buckets=(0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0),
)
