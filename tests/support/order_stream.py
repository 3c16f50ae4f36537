"""A steady load for recovery tests: market orders over several accounts, trades that fill them.

``Ticker`` publishes trades of one symbol on a seeded random walk until stopped. ``Stream``
keeps one market order in flight per account: when an account's order is finished in the
ledger, its next one (random side and size) is sent. One order per account at a time makes
each fill of an account come from its own trade, so the fill log has one order per account
and a recomputation of positions from it is unambiguous.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import uuid
from decimal import Decimal

from shared.db.pool import Pool
from shared.messages import Envelope, Payload
from tests.integration.services.process import ServiceProcess
from tests.support.order_desk import Desk
from tests.support.order_rig import AccountRef

TICK = Decimal("0.25")
FINISHED = ("FILLED", "REJECTED", "CANCELED", "EXPIRED")


class Ticker:
    """Trades of ``symbol`` every ``every_s`` seconds on a random walk, in the background."""

    def __init__(self, desk: Desk, symbol: str, seed: int, every_s: float = 0.1) -> None:
        self._desk = desk
        self._symbol = symbol
        self._rng = random.Random(seed)
        self._every_s = every_s
        self._task: asyncio.Task[None] | None = None
        self.price = Decimal("4000.00")

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="ticker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def check(self) -> None:
        """Raise what stopped the ticker, if it stopped."""
        if self._task is not None and self._task.done():
            self._task.result()

    async def _run(self) -> None:
        while True:
            self.price += TICK * self._rng.randint(-4, 4)
            await self._desk.trade(self._symbol, self.price, size=self._rng.randint(1, 5))
            await asyncio.sleep(self._every_s)


class Stream:
    """Market orders, one in flight per account, each sent once the last one finished."""

    def __init__(
        self, desk: Desk, pool: Pool, accounts: list[AccountRef], symbol: str, seed: int
    ) -> None:
        self.desk = desk
        self.pool = pool
        self.accounts = accounts
        self.symbol = symbol
        self._rng = random.Random(seed)
        self.sent: list[Envelope[Payload]] = []
        self._in_flight: dict[uuid.UUID, uuid.UUID] = {}
        self.finished: dict[uuid.UUID, int] = {a.account_id: 0 for a in accounts}
        self.net: dict[uuid.UUID, int] = {}
        """Each account's position once its orders sent so far have filled."""

    async def step(self, target: int) -> bool:
        """Send the next order of each account whose last one finished, up to ``target``
        orders per account; True once every account finished ``target`` orders."""
        statuses = {
            r["order_id"]: r["status"]
            for r in await self.pool.fetch(
                "SELECT order_id, status FROM orders WHERE order_id = ANY($1)",
                list(self._in_flight.values()),
            )
        }
        batch = []
        for account in self.accounts:
            order_id = self._in_flight.get(account.account_id)
            if order_id is not None:
                if statuses.get(order_id) not in FINISHED:
                    continue
                del self._in_flight[account.account_id]
                self.finished[account.account_id] += 1
            if self.finished[account.account_id] < target:
                side, quantity = self._next(account.account_id)
                command = self.desk.submit(account, self.symbol, side, quantity)
                self._in_flight[account.account_id] = command.message_id
                batch.append(command)
        if batch:
            await self.desk.send(*batch)
            self.sent.extend(batch)
        return not self._in_flight

    def _next(self, account_id: uuid.UUID) -> tuple[str, int]:
        """Mostly against the position, often through zero: closes and flips get tested."""
        net = self.net.get(account_id, 0)
        if net and self._rng.random() < 0.6:
            side, quantity = ("SELL" if net > 0 else "BUY"), self._rng.randint(1, abs(net) + 2)
        else:
            side, quantity = self._rng.choice(("BUY", "SELL")), self._rng.randint(1, 3)
        self.net[account_id] = net + (quantity if side == "BUY" else -quantity)
        return side, quantity

    async def drive(
        self, process: ServiceProcess, target: int, *, timeout_s: float = 240.0
    ) -> bool:
        """Step until every account finished ``target`` orders (True) or the process is
        gone (False)."""
        async with asyncio.timeout(timeout_s):
            while process.process.poll() is None:
                if await self.step(target):
                    return True
                await asyncio.sleep(0.05)
        return False
