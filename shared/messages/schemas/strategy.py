"""Strategy messages: signals (``strategy.signals``) and control (``strategy.control``)."""

from __future__ import annotations

import uuid
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from shared.messages.envelope import WireDecimal
from shared.messages.registry import message
from shared.messages.schemas.common import (
    AccountPayload,
    StrategyVersion,
    Symbol,
    Text,
    Timeframe,
    TimestampNs,
)


class SignalDirection(StrEnum):
    """What a signal asks for: be long, be short, or be flat."""

    LONG = "LONG"
    SHORT = "SHORT"
    FLAT = "FLAT"


class BarRef(BaseModel):
    """The bar a signal was computed on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    symbol: Symbol
    timeframe: Timeframe
    open_time: TimestampNs


@message
class Signal(AccountPayload):
    """A strategy's view on an instrument; orders it causes name it as their causation."""

    TYPE = "Signal"
    VERSION = 1

    strategy_id: uuid.UUID
    strategy_version: StrategyVersion
    symbol: Symbol
    direction: SignalDirection
    strength: WireDecimal = Field(ge=0, le=1, description="Conviction from 0 to 1.")
    reason: Text = ""
    price: WireDecimal | None = Field(default=None, description="Reference price, if any.")
    bar: BarRef | None = None


class StrategyControl(AccountPayload):
    """Base of the commands that start, pause and stop a strategy on an account."""

    strategy_id: uuid.UUID
    strategy_version: StrategyVersion
    requested_by: uuid.UUID | None = Field(
        default=None, description="The user or operator who asked; None when the platform did."
    )
    reason: Text = ""


@message
class StartStrategy(StrategyControl):
    """Run a strategy version live; starting a paused strategy resumes it."""

    TYPE = "StartStrategy"
    VERSION = 1


@message
class PauseStrategy(StrategyControl):
    """Stop emitting new orders, keeping the strategy's state, orders and positions."""

    TYPE = "PauseStrategy"
    VERSION = 1


@message
class StopStrategy(StrategyControl):
    """Stop a strategy; optionally cancel its working orders and flatten what it holds."""

    TYPE = "StopStrategy"
    VERSION = 1

    cancel_orders: bool = True
    flatten: bool = False


class StrategyStatus(StrEnum):
    """Where a strategy is: running live, paused (state kept, no orders), stopped, failed."""

    STOPPED = "STOPPED"
    RUNNING = "RUNNING"
    PAUSED = "PAUSED"
    FAILED = "FAILED"


@message
class StrategyStatusChanged(AccountPayload):
    """A strategy started, paused, stopped or failed; ``error`` says why it failed.

    Published by the strategy workers when a control command is applied and when a
    strategy raises (it is then stopped as FAILED, the worker and other strategies go on).
    """

    TYPE = "StrategyStatusChanged"
    VERSION = 1

    strategy_id: uuid.UUID
    strategy_version: StrategyVersion
    status: StrategyStatus
    previous: StrategyStatus
    run_id: uuid.UUID | None = Field(
        default=None, description="The live run started, paused or ended, when there is one."
    )
    error: Text | None = None
    reason: Text = ""


class ControlCommand(StrEnum):
    """Which control command a rejection answers."""

    START = "START"
    PAUSE = "PAUSE"
    STOP = "STOP"


class ControlRejectReason(StrEnum):
    """Why a control command changed nothing."""

    UNKNOWN_STRATEGY = "UNKNOWN_STRATEGY"
    UNKNOWN_VERSION = "UNKNOWN_VERSION"
    NOT_AUTHORIZED = "NOT_AUTHORIZED"
    """The user or account named is not the strategy's."""
    INVALID = "INVALID"
    """The store refused the change (e.g. pausing a strategy that is not running)."""


@message
class StrategyControlRejected(AccountPayload):
    """A start, pause or stop that was refused, with its reason code; nothing changed."""

    TYPE = "StrategyControlRejected"
    VERSION = 1

    strategy_id: uuid.UUID
    strategy_version: StrategyVersion
    command: ControlCommand
    reason: ControlRejectReason
    message: Text
