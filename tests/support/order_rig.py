"""One order processor test's own names: topics, consumer group, accounts and a symbol.

Everything is unique per test so tests (and people) sharing the dev Kafka never see each
other's work. The symbol is an ES contract of a far year that no feed trades.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient

from order_processor.settings import OrderProcessorSettings
from shared.bus import ensure_topics
from shared.db.pool import Pool
from shared.instruments import MONTH_CODES
from tests.infra import Endpoints

COMMAND_PARTITIONS = 12
OTHER_PARTITIONS = 3


def unique_symbol() -> str:
    """An ES contract no other test, feed or person trades (ESH47 .. ESZ99)."""
    n = uuid.uuid4().int
    return f"ES{MONTH_CODES[n % 12]}{40 + (n // 12) % 60}"


@dataclass(frozen=True)
class OrderTopics:
    """The topics and consumer group of one processor under test."""

    commands: str
    events: str
    positions: str
    risk: str
    trades: str
    bars: str
    group: str

    @classmethod
    def unique(cls, make: Callable[[str], str]) -> OrderTopics:
        return cls(
            commands=make("it.op.commands"),
            events=make("it.op.events"),
            positions=make("it.op.positions"),
            risk=make("it.op.risk"),
            trades=make("it.op.trades"),
            bars=make("it.op.bars"),
            group=make("it-op"),
        )

    @property
    def published(self) -> tuple[str, str, str]:
        """The topics the processor publishes to (through the outbox)."""
        return (self.events, self.positions, self.risk)

    def partitions(self, *extra: str) -> dict[str, int]:
        """Topic -> partition count, of the published topics and ``extra`` commands twins."""
        found = dict.fromkeys(self.published, OTHER_PARTITIONS)
        return found | dict.fromkeys(extra, COMMAND_PARTITIONS)

    def env(self) -> dict[str, str]:
        """The environment variables that point a processor process at these names."""
        return {f"TICKSTREAM_{k.upper()}": v for k, v in self._fields().items()}

    def settings(self, infra: Endpoints, dsn: str, **overrides: Any) -> OrderProcessorSettings:
        values: dict[str, Any] = {
            "kafka_bootstrap_servers": infra.kafka_bootstrap,
            "postgres_dsn": dsn,
            "redis_url": infra.redis_url,
            **self._fields(),
        }
        return OrderProcessorSettings(_env_file=None, **{**values, **overrides})

    def _fields(self) -> dict[str, str]:
        return {
            "orders_commands_topic": self.commands,
            "orders_events_topic": self.events,
            "positions_events_topic": self.positions,
            "risk_events_topic": self.risk,
            "orders_trades_topic": self.trades,
            "orders_bars_topic": self.bars,
            "orders_consumer_group": self.group,
        }

    async def create(self, bootstrap: str) -> list[str]:
        """Create the topics and their DLQ twins; the names created."""
        wanted = [(self.commands, COMMAND_PARTITIONS)]
        wanted += [(t, OTHER_PARTITIONS) for t in (*self.published, self.trades, self.bars)]
        return await ensure_topics(bootstrap, wanted)

    async def remove(self, bootstrap: str, created: list[str]) -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            await admin.delete_topics(created)
        finally:
            await admin.close()


@dataclass(frozen=True)
class AccountRef:
    """An account row of the ledger, and its owner."""

    account_id: uuid.UUID
    user_id: uuid.UUID


async def add_account(pool: Pool, balance: Decimal = Decimal(100_000)) -> AccountRef:
    account = AccountRef(uuid.uuid4(), uuid.uuid4())
    await pool.execute(
        "INSERT INTO accounts (account_id, user_id, name, starting_balance)"
        " VALUES ($1, $2, $3, $4)",
        account.account_id,
        account.user_id,
        f"it-op-{account.account_id.hex[:8]}",
        balance,
    )
    return account
