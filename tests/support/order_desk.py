"""Commands and trades for an order processor under test, and its ledger rows to check."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from typing import Any

import asyncpg

from shared.bus import KafkaPublisher
from shared.clock import Clock, SystemClock
from shared.db.pool import Pool
from shared.messages import Envelope, Payload
from shared.messages.envelope import new_envelope
from shared.messages.schemas.common import OrderSide, OrderType, TimeInForce
from shared.messages.schemas.marketdata import Trade
from shared.messages.schemas.orders import SubmitOrder
from tests.support.order_rig import AccountRef, OrderTopics

PRODUCER = "it-order-desk"


class Desk:
    """Publishes one test's commands (to its commands topic) and trades (to its trades topic)."""

    def __init__(
        self, publisher: KafkaPublisher, topics: OrderTopics, clock: Clock | None = None
    ) -> None:
        self.publisher = publisher
        self.topics = topics
        self.clock = clock or SystemClock()
        self._last_trade_ns = 0
        self.trades_sent = 0

    def command(self, payload: Payload) -> Envelope[Payload]:
        return new_envelope(payload, clock=self.clock, producer=PRODUCER)

    def submit(
        self,
        account: AccountRef,
        symbol: str,
        side: OrderSide | str,
        quantity: int | str | Decimal,
        *,
        client_order_id: str | None = None,
        order_type: OrderType | str = OrderType.MARKET,
        limit_price: str | Decimal | None = None,
        time_in_force: TimeInForce | str = TimeInForce.GTC,
    ) -> Envelope[Payload]:
        """A ``SubmitOrder`` envelope (not sent); its message id becomes the order id."""
        payload = SubmitOrder(
            account_id=account.account_id,
            user_id=account.user_id,
            client_order_id=client_order_id or f"c-{uuid.uuid4().hex[:16]}",
            symbol=symbol,
            side=OrderSide(side),
            order_type=OrderType(order_type),
            quantity=Decimal(quantity),
            limit_price=None if limit_price is None else Decimal(limit_price),
            time_in_force=TimeInForce(time_in_force),
        )
        return self.command(payload)

    async def send(self, *envelopes: Envelope[Payload]) -> None:
        await self.publisher.publish_many(list(envelopes), topic=self.topics.commands)

    async def trade(self, symbol: str, price: str | Decimal, size: int = 1) -> str:
        """Publish one trade with a fresh venue trade id and a later time than the last."""
        ts = max(self.clock.now_ns(), self._last_trade_ns + 1)
        self._last_trade_ns = ts
        trade_id = f"it-{uuid.uuid4().hex[:16]}"
        payload = Trade(
            symbol=symbol, price=Decimal(price), size=Decimal(size), venue_trade_id=trade_id
        )
        envelope = new_envelope(payload, clock=self.clock, producer=PRODUCER, ts_event=ts)
        await self.publisher.publish(envelope, topic=self.topics.trades)
        self.trades_sent += 1
        return trade_id

    async def trade_until(
        self,
        symbol: str,
        price: str | Decimal,
        done: Callable[[], Awaitable[bool]],
        *,
        every_s: float = 0.3,
        timeout_s: float = 120.0,
    ) -> None:
        """Trade at ``price`` again and again until ``done()``: the feed reads from its end,
        so a trade sent before it was positioned is never seen; a later one is."""
        async with asyncio.timeout(timeout_s):
            while not await done():
                await self.trade(symbol, price)
                await asyncio.sleep(every_s)


async def order_row(pool: Pool, order_id: uuid.UUID) -> asyncpg.Record | None:
    return await pool.fetchrow("SELECT * FROM orders WHERE order_id = $1", order_id)


def status_is(pool: Pool, order_id: uuid.UUID, *statuses: str) -> Callable[[], Awaitable[bool]]:
    """A condition for ``until``: the order's row exists with one of these statuses."""

    async def check() -> bool:
        row = await order_row(pool, order_id)
        return row is not None and row["status"] in statuses

    return check


async def rows(pool: Pool, table: str, accounts: Sequence[AccountRef], order: str) -> list[Any]:
    """The accounts' rows of a ledger table, in ``order``."""
    ids = [a.account_id for a in accounts]
    sql = f"SELECT * FROM {table} WHERE account_id = ANY($1) ORDER BY {order}"
    return list(await pool.fetch(sql, ids))
