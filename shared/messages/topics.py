"""The topic registry: every topic's name, key rule, partition count and DLQ twin."""

from __future__ import annotations

from dataclasses import dataclass

from shared.messages.envelope import Payload

DLQ_SUFFIX = ".dlq"


@dataclass(frozen=True, slots=True)
class Topic:
    """A Kafka topic: ``key_field`` names the payload field that keys it."""

    name: str
    key_field: str
    partitions: int
    message_types: tuple[str, ...]
    default_key: str | None = None
    replication_factor: int = 1

    @property
    def dlq(self) -> str:
        return self.name + DLQ_SUFFIX

    def key_for(self, payload: Payload) -> bytes:
        """The partition key of a payload on this topic."""
        value = getattr(payload, self.key_field, None)
        if value is None:
            if self.default_key is None:
                raise ValueError(f"{payload.TYPE} has no {self.key_field} to key {self.name}")
            return self.default_key.encode()
        return str(value).encode()


MARKETDATA_TRADES = Topic("marketdata.trades", "symbol", 12, ("Trade",))
MARKETDATA_BARS = Topic("marketdata.bars", "symbol", 12, ("Bar",))
MARKETDATA_STATUS = Topic("marketdata.status", "symbol", 3, ("FeedStatusChanged",))
STRATEGY_SIGNALS = Topic(
    "strategy.signals",
    "strategy_id",
    6,
    ("Signal", "StrategyStatusChanged", "StrategyControlRejected"),
)
STRATEGY_CONTROL = Topic(
    "strategy.control", "strategy_id", 6, ("StartStrategy", "StopStrategy", "PauseStrategy")
)
ORDERS_COMMANDS = Topic(
    "orders.commands",
    "account_id",
    12,
    (
        "SubmitOrder",
        "CancelOrder",
        "ModifyOrder",
        "CancelAll",
        "FlattenAll",
        "SetRiskLimits",
        "SetTradingState",
    ),
    default_key="global",
)
ORDERS_EVENTS = Topic(
    "orders.events",
    "account_id",
    12,
    (
        "OrderAccepted",
        "OrderRejected",
        "OrderTriggered",
        "OrderFilled",
        "OrderCanceled",
        "OrderExpired",
        "OrderModified",
    ),
)
POSITIONS_EVENTS = Topic(
    "positions.events",
    "account_id",
    12,
    ("PositionOpened", "PositionChanged", "PositionClosed"),
)
RISK_EVENTS = Topic(
    "risk.events",
    "account_id",
    6,
    ("TradingStateChanged", "RiskLimitBreached", "RiskLimitsChanged"),
    default_key="global",
)
BACKTEST_REQUESTS = Topic("backtest.requests", "backtest_id", 6, ("RunBacktest",))
BACKTEST_RESULTS = Topic(
    "backtest.results", "backtest_id", 6, ("BacktestCompleted", "BacktestFailed")
)

TOPICS: tuple[Topic, ...] = (
    MARKETDATA_TRADES,
    MARKETDATA_BARS,
    MARKETDATA_STATUS,
    STRATEGY_SIGNALS,
    STRATEGY_CONTROL,
    ORDERS_COMMANDS,
    ORDERS_EVENTS,
    POSITIONS_EVENTS,
    RISK_EVENTS,
    BACKTEST_REQUESTS,
    BACKTEST_RESULTS,
)
TOPICS_BY_NAME: dict[str, Topic] = {t.name: t for t in TOPICS}


def topic_of(message_type: str) -> Topic:
    """The topic a message type travels on."""
    for topic in TOPICS:
        if message_type in topic.message_types:
            return topic
    raise KeyError(f"no topic carries {message_type}")


def all_topic_names(*, with_dlq: bool = True) -> list[tuple[str, int]]:
    """(name, partitions) of every topic, and of its DLQ twin when asked."""
    names: list[tuple[str, int]] = []
    for topic in TOPICS:
        names.append((topic.name, topic.partitions))
        if with_dlq:
            names.append((topic.dlq, topic.partitions))
    return names
