"""What the ledger routes need, found on the app. Set on ``app.state`` to replace:

- ``clock`` (default: the system clock), for durations and today's trading day;
- ``instruments`` (default: the standard futures), for point values;
- ``last_prices`` (default: the ``redis`` resource's last trades, none without Redis);
- ``margin_rate`` (default: the settings' ``orders_margin_rate`` if any, else 10%).

Every account route goes through ``Owned``: one pooled connection in a read-only
snapshot, and the account checked against the ``user_id`` the gateway passes.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request

from order_processor.adapters import queries
from order_processor.api.marks import LastPrices, NoLastPrices, RedisLastPrices
from order_processor.api.params import not_found
from order_processor.api.valuation import DEFAULT_MARGIN_RATE
from shared.cache import Cache
from shared.clock import Clock, SystemClock
from shared.db.pool import Connection, Database
from shared.instruments import InstrumentRegistry

ACQUIRE_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class OwnedAccount:
    """An account the requesting user owns, and the connection to read its ledger with."""

    conn: Connection
    account: queries.Record

    @property
    def account_id(self) -> uuid.UUID:
        value: uuid.UUID = self.account["account_id"]
        return value


async def _owned(
    request: Request,
    account_id: Annotated[uuid.UUID, Path(description="The account")],
    user_id: Annotated[uuid.UUID, Query(description="The authenticated user (the gateway's)")],
) -> AsyncIterator[OwnedAccount]:
    db: Database = request.app.state.resources["postgres"]
    # One snapshot per request, so a summary's totals and positions agree with each other.
    async with (
        db.pool.acquire(timeout=ACQUIRE_TIMEOUT_S) as conn,
        conn.transaction(isolation="repeatable_read", readonly=True),
    ):
        account = await queries.owned_account(conn, account_id, user_id)
        if account is None:
            raise not_found(f"Account {account_id}")
        yield OwnedAccount(conn, account)


async def _now_ns(request: Request) -> int:
    clock: Clock = getattr(request.app.state, "clock", None) or SystemClock()
    return clock.now_ns()


async def _last_prices(request: Request) -> LastPrices:
    state = request.app.state
    prices: LastPrices | None = getattr(state, "last_prices", None)
    if prices is None:
        cache = state.resources.get("redis")
        prices = RedisLastPrices(cache) if isinstance(cache, Cache) else NoLastPrices()
        state.last_prices = prices
    return prices


@dataclass(frozen=True, slots=True)
class Rules:
    """How an account's exposure and margin are worked out."""

    instruments: InstrumentRegistry
    margin_rate: Decimal

    def point_value(self, symbol: str) -> Decimal | None:
        instrument = self.instruments.find(symbol)
        return None if instrument is None else instrument.point_value


def _rules_of(state: Any) -> Rules:
    rules: Rules | None = getattr(state, "account_rules", None)
    if rules is None:
        registry = getattr(state, "instruments", None) or InstrumentRegistry.with_standard_futures()
        rate = getattr(state, "margin_rate", None)
        if rate is None:
            rate = getattr(state.settings, "orders_margin_rate", DEFAULT_MARGIN_RATE)
        rules = state.account_rules = Rules(registry, Decimal(str(rate)))
    return rules


async def _rules(request: Request) -> Rules:
    return _rules_of(request.app.state)


# Async, so FastAPI runs them in the event loop rather than handing off to a thread.
Owned = Annotated[OwnedAccount, Depends(_owned)]
NowNs = Annotated[int, Depends(_now_ns)]
Marks = Annotated[LastPrices, Depends(_last_prices)]
AccountRules = Annotated[Rules, Depends(_rules)]
