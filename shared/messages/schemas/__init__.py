"""Every message schema. Importing this package declares them all in the registry."""

from shared.messages.schemas.backtest import (
    BacktestCompleted,
    BacktestError,
    BacktestFailed,
    RunBacktest,
)
from shared.messages.schemas.common import (
    OrderSide,
    OrderType,
    PositionSide,
    TimeInForce,
)
from shared.messages.schemas.feeds import FeedState, FeedStatusChanged
from shared.messages.schemas.marketdata import AggressorSide, Bar, Trade
from shared.messages.schemas.order_events import (
    LiquiditySide,
    OrderAccepted,
    OrderCanceled,
    OrderExpired,
    OrderFilled,
    OrderModified,
    OrderRejected,
    OrderTriggered,
)
from shared.messages.schemas.orders import (
    Bracket,
    CancelAll,
    CancelOrder,
    FlattenAll,
    ModifyOrder,
    SubmitOrder,
)
from shared.messages.schemas.positions import PositionChanged, PositionClosed, PositionOpened
from shared.messages.schemas.reasons import CancelReason, RejectedCommand, RejectReason
from shared.messages.schemas.risk import (
    RiskAction,
    RiskLimit,
    RiskLimitBreached,
    StateScope,
    TradingState,
    TradingStateChanged,
)
from shared.messages.schemas.risk_limits import (
    RiskLimitsChanged,
    RiskLimitsSpec,
    SetRiskLimits,
    SetTradingState,
)
from shared.messages.schemas.strategy import (
    BarRef,
    PauseStrategy,
    Signal,
    SignalDirection,
    StartStrategy,
    StopStrategy,
)

__all__ = [
    "AggressorSide",
    "BacktestCompleted",
    "BacktestError",
    "BacktestFailed",
    "Bar",
    "BarRef",
    "Bracket",
    "CancelAll",
    "CancelOrder",
    "CancelReason",
    "FeedState",
    "FeedStatusChanged",
    "FlattenAll",
    "LiquiditySide",
    "ModifyOrder",
    "OrderAccepted",
    "OrderCanceled",
    "OrderExpired",
    "OrderFilled",
    "OrderModified",
    "OrderRejected",
    "OrderSide",
    "OrderTriggered",
    "OrderType",
    "PauseStrategy",
    "PositionChanged",
    "PositionClosed",
    "PositionOpened",
    "PositionSide",
    "RejectReason",
    "RejectedCommand",
    "RiskAction",
    "RiskLimit",
    "RiskLimitBreached",
    "RiskLimitsChanged",
    "RiskLimitsSpec",
    "RunBacktest",
    "SetRiskLimits",
    "SetTradingState",
    "Signal",
    "SignalDirection",
    "StartStrategy",
    "StateScope",
    "StopStrategy",
    "SubmitOrder",
    "TimeInForce",
    "Trade",
    "TradingState",
    "TradingStateChanged",
]
