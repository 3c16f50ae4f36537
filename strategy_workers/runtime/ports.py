"""What the workers need from their stores: the strategy store and the candle history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Protocol

from shared.db.strategies import StatusChange, StrategyInfo
from shared.messages.schemas.order_events import OrderFilled
from shared.messages.schemas.strategy import PauseStrategy, StartStrategy, StopStrategy
from shared.strategy.candles import Candle
from shared.strategy.definition import StrategyDefinition
from strategy_workers.domain.restore import WorkingOrder

Control = StartStrategy | PauseStrategy | StopStrategy


class Store(Protocol):
    """The part of ``shared.db.strategies.StrategyStore`` the workers use."""

    async def active(self) -> Sequence[tuple[StrategyDefinition, str]]: ...

    async def revision(self) -> int: ...

    async def info(self, strategy_id: uuid.UUID) -> StrategyInfo | None: ...

    async def definition(
        self, strategy_id: uuid.UUID, version: int | None = None
    ) -> StrategyDefinition | None: ...

    async def apply_control(
        self, message_id: uuid.UUID, payload: Control, ts_ns: int
    ) -> StatusChange | None: ...

    async def mark_failed(
        self, strategy_id: uuid.UUID, version: int, error: str, ts_ns: int
    ) -> None: ...

    async def fills(self, strategy_id: uuid.UUID) -> Sequence[OrderFilled]: ...

    async def working_orders(self, strategy_id: uuid.UUID) -> Sequence[WorkingOrder]: ...


class CandleHistory(Protocol):
    """Stored closed candles (InfluxDB)."""

    async def before(self, symbol: str, timeframe: str, end_ns: int, limit: int) -> list[Candle]:
        """The newest ``limit`` candles opened before ``end_ns``, oldest first."""
        ...
