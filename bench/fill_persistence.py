"""Bulk fill persistence: the ledger's ``copy_fills`` against a plain asyncpg COPY. Prints figures.

    uv run python bench/fill_persistence.py [--fills 200000] [--chunk 0]
        [--postgres postgresql://tickstream:tickstream@127.0.0.1:5432/tickstream]

The replay/import path: N fills (default 200k, a few accounts and symbols, seeded) go into
two empty copies of ``public.fills`` (``LIKE ... INCLUDING ALL``: same columns, checks,
primary and unique keys, index) in a scratch schema created for the run and dropped after.
(a) the baseline: ``copy_records_to_table`` of the fills' row tuples, built before the
clock starts; (b) ``order_processor.adapters.ledger.copy_fills`` of the ``Fill`` objects,
which builds the tuples itself, then COPYs. Each runs in one transaction, timed to its
commit; ``--chunk N`` splits the load into COPYs of N fills (0: one COPY).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
import uuid
from decimal import Decimal
from typing import Any

import asyncpg

from order_processor.adapters.ledger import copy_fills
from order_processor.adapters.rows import FILL_COLUMNS, fill_row
from shared.db.pool import init_connection
from shared.messages.schemas.common import OrderSide
from shared.trading.fills import Fill
from shared.trading.ids import derive_id

DSN = "postgresql://tickstream:tickstream@127.0.0.1:5432/tickstream"
START_NS = 1_767_600_000_000_000_000
TARGET = 50_000
SYMBOLS = (("ESH6", "5000.00", "0.25"), ("NQH6", "18000.00", "0.25"), ("CLH6", "75.00", "0.01"))


def make_fills(count: int, seed: int = 11) -> list[Fill]:
    """Fills of a few accounts, one per order, on a random walk of each symbol's tick grid."""
    rng = random.Random(seed)
    accounts = [(uuid.UUID(int=rng.getrandbits(128)), uuid.UUID(int=rng.getrandbits(128)))
                for _ in range(8)]  # fmt: skip
    strategy = uuid.UUID(int=rng.getrandbits(128))
    fills = []
    for i in range(count):
        account, user = accounts[i % len(accounts)]
        symbol, start, tick = SYMBOLS[i % len(SYMBOLS)]
        order_id = uuid.UUID(int=rng.getrandbits(128))
        trade_id = f"bench-{i}"
        quantity = Decimal(rng.randint(1, 5))
        fills.append(
            Fill(
                fill_id=derive_id(order_id, trade_id),
                order_id=order_id,
                account_id=account,
                user_id=user,
                symbol=symbol,
                side=OrderSide.BUY if rng.random() < 0.5 else OrderSide.SELL,
                price=Decimal(start) + Decimal(tick) * rng.randint(-400, 400),
                quantity=quantity,
                commission=Decimal("2.25") * quantity,
                currency="USD",
                ts_ns=START_NS + i * 1_000_000,
                venue_trade_id=trade_id,
                strategy_id=strategy if i % 2 else None,
                strategy_version=3 if i % 2 else None,
            )
        )
    return fills


def chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items] if size <= 0 else [items[i : i + size] for i in range(0, len(items), size)]


Timing = tuple[float, float]
"""Wall seconds, and the CPU seconds this process spent (the rest is Postgres and waiting)."""


async def plain(
    conn: asyncpg.Connection, schema: str, rows: list[tuple[Any, ...]], size: int
) -> Timing:
    started, cpu = time.perf_counter(), time.process_time()
    async with conn.transaction():
        for part in chunks(rows, size):
            await conn.copy_records_to_table(
                "fills_plain", records=part, columns=list(FILL_COLUMNS), schema_name=schema
            )
    return time.perf_counter() - started, time.process_time() - cpu


async def ledger(conn: asyncpg.Connection, fills: list[Fill], size: int) -> Timing:
    started, cpu = time.perf_counter(), time.process_time()
    async with conn.transaction():
        for part in chunks(fills, size):
            await copy_fills(conn, part)  # "fills" resolves to the scratch schema's copy
    return time.perf_counter() - started, time.process_time() - cpu


async def main(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    fills = make_fills(args.fills)
    rows = [fill_row(f) for f in fills]
    print(f"N = {args.fills} fills, one COPY per {args.chunk or args.fills} "
          f"(built in {time.perf_counter() - started:.1f} s); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(args.postgres)
    await init_connection(conn)
    try:
        await conn.execute(f"CREATE SCHEMA {schema}")
        for table in ("fills", "fills_plain"):
            await conn.execute(f"CREATE TABLE {schema}.{table} (LIKE public.fills INCLUDING ALL)")
        await conn.execute(f"SET search_path TO {schema}")
        plain_s = await plain(conn, schema, rows, args.chunk)
        ledger_s = await ledger(conn, fills, args.chunk)
        counts = [await conn.fetchval(f"SELECT count(*) FROM {schema}.{t}")
                  for t in ("fills_plain", "fills")]  # fmt: skip
        print(f"{'':36}{'fills/s':>10}{'seconds':>9}{'client CPU s':>14}")
        for label, (wall, cpu) in (
            ("plain asyncpg COPY of row tuples", plain_s),
            ("copy_fills (Fill -> row, COPY)", ledger_s),
        ):
            print(f"{label:36}{args.fills / wall:>10,.0f}{wall:>9.2f}{cpu:>14.2f}")
        print(f"rows stored: plain {counts[0]}, copy_fills {counts[1]}")
        verdict = "met" if args.fills / ledger_s[0] >= TARGET else "NOT met"
        print(f"copy_fills / plain time: {ledger_s[0] / plain_s[0]:.2f}x; "
              f"target >= {TARGET:,} fills/s: {verdict}")  # fmt: skip
    finally:
        await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await conn.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fills", type=int, default=200_000)
    parser.add_argument("--chunk", type=int, default=0)
    parser.add_argument("--postgres", default=DSN)
    asyncio.run(main(parser.parse_args()))
