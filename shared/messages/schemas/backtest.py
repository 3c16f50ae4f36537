"""Backtest messages (``backtest.requests``, ``backtest.results``), keyed by backtest id."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from shared.messages.envelope import WireDecimal
from shared.messages.registry import message
from shared.messages.schemas.common import (
    AccountPayload,
    Currency,
    NonNegativeDecimal,
    PositiveDecimal,
    StrategyVersion,
    Symbol,
    Text,
    Timeframe,
    TimestampNs,
)


class BacktestPayload(AccountPayload):
    """Base of backtest messages: whose backtest, of which strategy version."""

    backtest_id: uuid.UUID
    strategy_id: uuid.UUID
    strategy_version: StrategyVersion


@message
class RunBacktest(BacktestPayload):
    """Run a strategy version over historical bars in ``[start_time, end_time)``.

    ``parameters`` override the version's own parameters for this run only.
    """

    TYPE = "RunBacktest"
    VERSION = 1

    symbols: tuple[Symbol, ...] = Field(min_length=1, max_length=50)
    timeframe: Timeframe
    start_time: TimestampNs
    end_time: TimestampNs
    initial_capital: PositiveDecimal
    currency: Currency = "USD"
    slippage_ticks: int = Field(default=0, ge=0)
    fill_limit_on_touch: bool = False
    parameters: dict[str, str | int | float | bool] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _period(self) -> Self:
        if self.end_time <= self.start_time:
            raise ValueError("end_time must be after start_time")
        if len(set(self.symbols)) != len(self.symbols):
            raise ValueError("symbols are repeated")
        return self


@message
class BacktestCompleted(BacktestPayload):
    """A backtest finished; headline figures here, the full report in the analytics store."""

    TYPE = "BacktestCompleted"
    VERSION = 1

    bars_processed: int = Field(ge=0)
    order_count: int = Field(ge=0)
    fill_count: int = Field(ge=0)
    trade_count: int = Field(ge=0, description="Closed positions.")
    winning_trades: int = Field(ge=0)
    losing_trades: int = Field(ge=0)
    gross_pnl: WireDecimal
    commissions: WireDecimal
    net_pnl: WireDecimal
    max_drawdown: NonNegativeDecimal
    currency: Currency
    profit_factor: WireDecimal | None = Field(default=None, description="None without losses.")
    sharpe_ratio: WireDecimal | None = None
    started_at: TimestampNs
    finished_at: TimestampNs

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.winning_trades + self.losing_trades > self.trade_count:
            raise ValueError("winning_trades + losing_trades exceed trade_count")
        if self.net_pnl != self.gross_pnl - self.commissions:
            raise ValueError("net_pnl must equal gross_pnl minus commissions")
        if self.finished_at < self.started_at:
            raise ValueError("finished_at is before started_at")
        return self


class BacktestError(StrEnum):
    """Why a backtest did not complete."""

    INVALID_REQUEST = "INVALID_REQUEST"
    UNKNOWN_STRATEGY = "UNKNOWN_STRATEGY"
    UNKNOWN_INSTRUMENT = "UNKNOWN_INSTRUMENT"
    NO_DATA = "NO_DATA"
    STRATEGY_ERROR = "STRATEGY_ERROR"
    TIMEOUT = "TIMEOUT"
    CANCELED = "CANCELED"
    INTERNAL = "INTERNAL"


@message
class BacktestFailed(BacktestPayload):
    """A backtest stopped without a result, with a reason code and explanation."""

    TYPE = "BacktestFailed"
    VERSION = 1

    error: BacktestError
    message: Text
    bars_processed: int = Field(ge=0, default=0)
