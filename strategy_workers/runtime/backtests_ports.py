"""What the backtest jobs need: the strategy store's jobs, candles, a way to run them."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

from shared.backtest import BarSeries
from shared.db.strategies import BacktestRecord, BacktestStatus
from shared.strategy.definition import StrategyDefinition
from strategy_workers.domain.backtests_run import Broke, Computed, Job

CandleLoader = Callable[[str, str, int, int], Awaitable[BarSeries]]
"""(symbol, timeframe, start, end) -> the candles opening in [start, end); ``DataError``
when there are none (``shared.backtest.influx_source.load_influx``)."""

Compute = Callable[[Job], Awaitable[Computed | Broke]]
"""Runs a job off the event loop (``ProcessCompute``)."""


class BacktestStore(Protocol):
    """The part of ``shared.db.strategies.StrategyStore`` the backtest jobs use."""

    async def definition(
        self, strategy_id: uuid.UUID, version: int | None = None
    ) -> StrategyDefinition | None: ...

    async def create_backtest(
        self,
        *,
        backtest_id: uuid.UUID,
        user_id: uuid.UUID,
        account_id: uuid.UUID,
        strategy_id: uuid.UUID,
        version: int,
        request: Mapping[str, Any],
        ts_ns: int | None = None,
    ) -> BacktestRecord: ...

    async def start_backtest(self, backtest_id: uuid.UUID, ts_ns: int | None = None) -> bool: ...

    async def finish_backtest(  # noqa: PLR0917 -- as the store has it
        self,
        backtest_id: uuid.UUID,
        status: BacktestStatus,
        summary: Any,
        trades: Any,
        equity: Any,
        error: str | None,
        ts_ns: int | None = None,
    ) -> bool: ...

    async def backtest(
        self, backtest_id: uuid.UUID, user_id: uuid.UUID
    ) -> BacktestRecord | None: ...
