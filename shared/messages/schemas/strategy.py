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
