"""Tuning of the Kafka consumer loop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ConsumerOptions:
    """Consumer settings; the defaults suit services, tests shorten the timeouts."""

    client_id: str | None = None
    isolation_level: str = "read_committed"
    session_timeout_ms: int = 10_000
    heartbeat_interval_ms: int = 3_000
    max_poll_interval_ms: int = 300_000
    request_timeout_ms: int = 40_000
    max_batch: int = 100
    poll_timeout_ms: int = 500
    lag_interval_s: float = 5.0
    rebalance_wait_s: float = 10.0
    """How long a revocation waits for the in-flight record before committing without it."""
    ping_timeout_s: float = 2.0

    def __post_init__(self) -> None:
        if self.max_batch < 1 or self.poll_timeout_ms < 0:
            raise ValueError("max_batch must be positive and poll_timeout_ms not negative")
        if self.lag_interval_s <= 0 or self.rebalance_wait_s < 0 or self.ping_timeout_s <= 0:
            raise ValueError("lag_interval_s and ping_timeout_s must be positive")

    def aiokafka_config(self) -> dict[str, Any]:
        """Keyword arguments for ``AIOKafkaConsumer``: manual commits, from the earliest."""
        return {
            "client_id": self.client_id,
            "enable_auto_commit": False,
            "auto_offset_reset": "earliest",
            "isolation_level": self.isolation_level,
            "session_timeout_ms": self.session_timeout_ms,
            "heartbeat_interval_ms": self.heartbeat_interval_ms,
            "max_poll_interval_ms": self.max_poll_interval_ms,
            "request_timeout_ms": self.request_timeout_ms,
        }
