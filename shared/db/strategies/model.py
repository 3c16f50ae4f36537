"""What the strategy store hands out: statuses, strategy and version summaries, changes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shared.messages.schemas.strategy import StrategyStatus
from shared.strategy.definition import StrategyDefinition


class StrategyNotFound(ValueError):
    """No such strategy, or it is another user's (which is not told apart)."""


class VersionNotFound(ValueError):
    """The strategy has no such version."""


ACTIVE = (StrategyStatus.RUNNING, StrategyStatus.PAUSED)


@dataclass(frozen=True)
class StrategyInfo:
    """A strategy at a glance; ``version`` is the version last started, else the newest."""

    strategy_id: uuid.UUID
    user_id: uuid.UUID
    account_id: uuid.UUID
    name: str
    status: StrategyStatus
    version: int
    latest_version: int
    error: str | None
    updated_at_ns: int
    created_at_ns: int = 0
    run_id: uuid.UUID | None = None


@dataclass(frozen=True)
class VersionInfo:
    """One immutable version: its number, hash and content (plain JSON data)."""

    strategy_id: uuid.UUID
    version: int
    content_hash: str
    content: dict[str, Any]
    created_at_ns: int


@dataclass(frozen=True)
class StatusChange:
    """What a control command changed: the strategy's new and previous status, at a version.

    ``run_id`` names the run started, resumed, paused or ended (None when a failed strategy
    is stopped: its run ended with the failure).
    """

    strategy_id: uuid.UUID
    version: int
    status: StrategyStatus
    previous: StrategyStatus
    run_id: uuid.UUID | None
    definition: StrategyDefinition


class BacktestStatus(StrEnum):
    """A stored backtest job's state."""

    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


@dataclass(frozen=True)
class BacktestRecord:
    """A stored backtest: what was asked, and its results once done."""

    backtest_id: uuid.UUID
    user_id: uuid.UUID
    account_id: uuid.UUID
    strategy_id: uuid.UUID
    version: int
    request: dict[str, Any]
    status: BacktestStatus
    error: str | None
    summary: Any
    trades: Any
    equity: Any
    created_at_ns: int
    started_at_ns: int | None
    finished_at_ns: int | None
