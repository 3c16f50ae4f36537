"""Settings of the strategy workers (environment variables ``TICKSTREAM_*``)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from shared.messages.topics import (
    BACKTEST_REQUESTS,
    BACKTEST_RESULTS,
    MARKETDATA_BARS,
    ORDERS_COMMANDS,
    ORDERS_EVENTS,
    STRATEGY_CONTROL,
    STRATEGY_SIGNALS,
)
from shared.settings import Dependency, ServiceSettings


class StrategyWorkersSettings(ServiceSettings):
    """The strategy workers' settings: the common ones, their topics, groups and warm-up."""

    service_name: ClassVar[str] = "strategy_workers"
    dependencies: ClassVar[tuple[Dependency, ...]] = (
        Dependency.KAFKA,
        Dependency.POSTGRES,
        Dependency.INFLUXDB,
    )

    strategy_bars_topic: str = MARKETDATA_BARS.name
    strategy_control_topic: str = STRATEGY_CONTROL.name
    strategy_signals_topic: str = STRATEGY_SIGNALS.name
    strategy_commands_topic: str = ORDERS_COMMANDS.name
    strategy_order_events_topic: str = ORDERS_EVENTS.name
    strategy_bars_group: str = "strategy-workers"
    """The consumer group of the bars: its members share the symbols (partitions)."""
    strategy_control_group: str = "strategy-workers.control"
    strategy_warmup_bars: int = Field(default=500, ge=0)
    """Closed candles of each subscription read from InfluxDB before a strategy's first bar."""
    strategy_history_size: int = Field(default=500, ge=1)
    """Candles of each subscription a strategy keeps in ``ctx.history()``."""
    strategy_refresh_interval_s: float = Field(default=1.0, gt=0)
    """How often the store's revision is polled to pick up started or stopped strategies."""
    strategy_batch_max_records: int = Field(default=500, ge=1)
    strategy_crash_at: Literal["", "after-publish"] = ""
    """Recovery tests only: kill the process after publishing a batch's orders, before its
    offsets are committed (see runtime/faults.py)."""
    strategy_crash_after: int = Field(default=1, ge=1)
    strategy_backtest_requests_topic: str = BACKTEST_REQUESTS.name
    strategy_backtest_results_topic: str = BACKTEST_RESULTS.name
    strategy_backtest_group: str = "strategy-workers.backtests"
    """The consumer group of the backtest jobs: its members share the requests."""
    strategy_backtest_workers: int = Field(default=1, ge=1)
    """Backtests run at once, each in a worker process of its own (off the event loop)."""
    strategy_backtest_equity_points: int = Field(default=2000, ge=10)
    """Points of a backtest's equity curve kept in Postgres at most (downsampled beyond)."""
