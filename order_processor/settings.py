"""Settings of the order processor (environment variables ``TICKSTREAM_*``)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from shared.messages.topics import (
    MARKETDATA_BARS,
    MARKETDATA_TRADES,
    ORDERS_COMMANDS,
    ORDERS_EVENTS,
    POSITIONS_EVENTS,
    RISK_EVENTS,
)
from shared.settings import Dependency, ServiceSettings
from shared.trading.matching import LimitFill


class OrderProcessorSettings(ServiceSettings):
    """The order processor's settings: the common ones, its topics and the paper exchange."""

    service_name: ClassVar[str] = "order_processor"
    dependencies: ClassVar[tuple[Dependency, ...]] = (
        Dependency.KAFKA,
        Dependency.POSTGRES,
        Dependency.REDIS,
    )

    orders_commands_topic: str = ORDERS_COMMANDS.name
    orders_events_topic: str = ORDERS_EVENTS.name
    positions_events_topic: str = POSITIONS_EVENTS.name
    risk_events_topic: str = RISK_EVENTS.name
    orders_trades_topic: str = MARKETDATA_TRADES.name
    orders_bars_topic: str = MARKETDATA_BARS.name
    orders_bar_timeframe: str = "1m"
    orders_consumer_group: str = "order_processor"
    orders_batch_max_records: int = Field(default=500, ge=1)
    paper_slippage_ticks: int = Field(default=0, ge=0)
    paper_limit_fill: LimitFill = LimitFill.THROUGH
    paper_partial_fills: bool = False
    orders_margin_rate: Decimal = Field(default=Decimal("0.10"), gt=0, le=1)
    """Margin in use = exposure x this rate (the registry has no exchange margin table)."""
    orders_crash_at: Literal["", "after-commit", "after-publish"] = ""
    """Recovery tests only: where the process kills itself (see processing/faults.py)."""
    orders_crash_after: int = Field(default=1, ge=1)
