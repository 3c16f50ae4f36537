"""Helpers of the ledger API tests (no tests here): a migrated database, the app, seeding.

Rows are made with the trading domain's own types and written with the ledger's row
functions, so the API reads exactly what the processor stores.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import httpx

from market_data_engine.pipeline.outputs import LastTrade, Outputs, redis_commands
from order_processor.adapters.rows import (
    FILL_COLUMNS,
    ORDER_COLUMNS,
    POSITION_COLUMNS,
    fill_row,
    order_row,
    position_row,
)
from order_processor.app import build_app
from order_processor.settings import OrderProcessorSettings
from shared.cache import Cache
from shared.clock import FakeClock
from shared.db import Database, apply_migrations
from shared.db.pool import init_connection
from shared.messages.schemas.common import OrderSide, OrderType, PositionSide, TimeInForce
from shared.trading.fills import Fill
from shared.trading.lots import Position
from shared.trading.orders import Order, OrderStatus
from tests.support.asgi import serve_in_process, wait_for_ready_status

NOW_NS = 1_772_809_200 * 10**9  # 2026-03-06T15:00:00Z: 09:00 in Chicago, trading day 03-06
SECOND = 10**9
D = Decimal


@asynccontextmanager
async def ledger_database(admin_dsn: str) -> AsyncIterator[str]:
    """A new database with every migration applied; dropped afterwards."""
    name = f"ts_api_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    dsn = urlsplit(admin_dsn)._replace(path=f"/{name}").geturl()
    try:
        await apply_migrations(dsn)
        yield dsn
    finally:
        admin = await asyncpg.connect(admin_dsn)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@asynccontextmanager
async def ledger_api(
    dsn: str, redis_url: str, prefix: str, **state: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """The order processor's app on the database (no Kafka: no work loop), clock at NOW_NS."""
    settings = OrderProcessorSettings(_env_file=None, dependency_check_interval_s=0.05)
    app = build_app(settings, [Database(dsn, max_size=4), Cache(redis_url, prefix=prefix)])
    app.state.clock = FakeClock(NOW_NS)
    for name, value in state.items():
        setattr(app.state, name, value)
    async with serve_in_process(app) as client:
        await wait_for_ready_status(client, 200)
        yield client


@asynccontextmanager
async def connect(dsn: str) -> AsyncIterator[asyncpg.Connection]:
    """A plain connection that reads and writes jsonb as the pool does."""
    conn = await asyncpg.connect(dsn)
    try:
        await init_connection(conn)
        yield conn
    finally:
        await conn.close()


async def set_last_trades(cache: Cache, prices: dict[str, tuple[str, int]]) -> None:
    """Store last trades exactly as the market data engine's writer does."""
    trades = [LastTrade(s, ts, D(p), D(1)) for s, (p, ts) in prices.items()]
    for command in redis_commands(Outputs(last_trades=trades), cache.key, {}):
        await cache.client.execute_command(*command)  # type: ignore[no-untyped-call]


async def add_account(
    conn: asyncpg.Connection, user_id: uuid.UUID, starting: str = "100000"
) -> uuid.UUID:
    account_id = uuid.uuid4()
    await conn.execute(
        "INSERT INTO accounts (account_id, user_id, name, starting_balance) "
        "VALUES ($1, $2, $3, $4)",
        account_id,
        user_id,
        f"paper {account_id.hex[:6]}",
        D(starting),
    )
    return account_id


def order(account_id: uuid.UUID, user_id: uuid.UUID, created_ns: int, **fields: Any) -> Order:
    """A limit buy of 1 ESZ6 at 5000 unless ``fields`` say otherwise."""
    values: dict[str, Any] = {
        "order_id": uuid.uuid4(), "account_id": account_id, "user_id": user_id,
        "client_order_id": f"c-{uuid.uuid4().hex[:10]}", "symbol": "ESZ6",
        "side": OrderSide.BUY, "order_type": OrderType.LIMIT, "quantity": D(1),
        "time_in_force": TimeInForce.GTC, "created_ns": created_ns, "limit_price": D(5000),
        "status": OrderStatus.ACCEPTED, "updated_ns": created_ns,
    }  # fmt: skip
    values.update(fields)
    return Order(**values)


def fill(o: Order, ts_ns: int, price: str, quantity: str, commission: str = "2.25") -> Fill:
    return Fill(
        uuid.uuid4(), o.order_id, o.account_id, o.user_id, o.symbol, o.side, D(price),
        D(quantity), D(commission), "USD", ts_ns, f"t-{uuid.uuid4().hex[:8]}", o.strategy_id,
        o.strategy_version,
    )  # fmt: skip


def position(
    owner: tuple[uuid.UUID, uuid.UUID],
    symbol: str,
    side: PositionSide,
    point_value: str,
    trades: list[tuple[int, str, str, str]],
) -> Position:
    """(account, user)'s position, built by the domain from trades given as (ts_ns, price,
    signed quantity, commission).
    """
    account_id, user_id = owner
    first = trades[0][0]
    p = Position(uuid.uuid4(), account_id, user_id, symbol, side, "USD", D(point_value), first,
                 uuid.uuid4())  # fmt: skip
    sign = 1 if side is PositionSide.LONG else -1
    for ts, price, qty, commission in trades:
        amount = D(qty) * sign
        action = p.add if amount > 0 else p.reduce
        action(uuid.uuid4(), ts, D(price), abs(amount), D(commission))
    return p


def _insert(table: str, columns: tuple[str, ...]) -> str:
    marks = ", ".join(f"${i + 1}" for i in range(len(columns)))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"


async def save(
    conn: asyncpg.Connection,
    orders: Sequence[Order] = (),
    fills: Sequence[Fill] = (),
    positions: Sequence[Position] = (),
) -> None:
    """Write rows as the ledger does, with its row functions."""
    if orders:
        await conn.executemany(_insert("orders", ORDER_COLUMNS), [order_row(o) for o in orders])
    if fills:
        await conn.executemany(_insert("fills", FILL_COLUMNS), [fill_row(f) for f in fills])
    if positions:
        rows = [position_row(p) for p in positions]
        await conn.executemany(_insert("positions", POSITION_COLUMNS), rows)
