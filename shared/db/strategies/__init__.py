"""The strategy store: strategies, their immutable versions, live runs and backtest jobs."""

from shared.db.strategies.ledger import WorkingOrder
from shared.db.strategies.model import (
    BacktestRecord,
    BacktestStatus,
    StatusChange,
    StrategyInfo,
    StrategyNotFound,
    VersionInfo,
    VersionNotFound,
)
from shared.db.strategies.store import StrategyStore
from shared.messages.schemas.strategy import StrategyStatus

__all__ = [
    "BacktestRecord",
    "BacktestStatus",
    "StatusChange",
    "StrategyInfo",
    "StrategyNotFound",
    "StrategyStatus",
    "StrategyStore",
    "VersionInfo",
    "VersionNotFound",
    "WorkingOrder",
]
