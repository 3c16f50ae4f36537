"""The demo user and paper account that ``tickstream up`` makes sure exist, with fixed ids.

Anyone can trade the demo market with them at once, e.g.
``uv run tickstream order submit --account 00000000-0000-4000-8000-0000000acc01
--user 00000000-0000-4000-8000-00000000d3e0 --symbol ESZ6 --side buy --type market --qty 1``.
The demo strategy (``demo_strategy``) trades on the same account.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Collection
from dataclasses import dataclass, replace
from decimal import Decimal

from shared.stack.demo_strategy import DemoStrategy, run_demo_strategy
from shared.stack.errors import StackError
from shared.stack.lifecycle import Progress
from shared.stack.settings import StackSettings

DEMO_USER_ID = uuid.UUID("00000000-0000-4000-8000-00000000d3e0")
DEMO_ACCOUNT_ID = uuid.UUID("00000000-0000-4000-8000-0000000acc01")
DEMO_ACCOUNT_NAME = "Demo paper account"
DEMO_BALANCE = Decimal(100000)
DEMO_CURRENCY = "USD"

_INSERT = (
    "INSERT INTO accounts (account_id, user_id, name, currency, starting_balance) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id) DO NOTHING RETURNING account_id"
)


@dataclass(frozen=True)
class DemoAccount:
    """The demo account as found: whether this run created it, and who owns it."""

    created: bool
    user_id: uuid.UUID
    starting_balance: Decimal
    currency: str
    account_id: uuid.UUID = DEMO_ACCOUNT_ID
    strategy: DemoStrategy | None = None
    """The demo strategy, once ``ensure_demo`` made sure it runs."""


async def seed_demo(dsn: str) -> DemoAccount:
    """Create the demo account unless its id exists; what is there afterwards.

    An existing row is left as it is, even if someone changed it.
    """
    # Imported here so the stack manager does not load the database layer until it is needed.
    from shared.db.pool import Database

    db = Database(dsn, min_size=1, max_size=1)
    await db.start()
    try:
        async with db.pool.acquire() as conn:
            created = await conn.fetchval(
                _INSERT, DEMO_ACCOUNT_ID, DEMO_USER_ID, DEMO_ACCOUNT_NAME, DEMO_CURRENCY,
                DEMO_BALANCE,
            )  # fmt: skip
            row = await conn.fetchrow(
                "SELECT user_id, starting_balance, currency FROM accounts WHERE account_id = $1",
                DEMO_ACCOUNT_ID,
            )
    finally:
        await db.close()
    if row is None:
        raise RuntimeError(f"the demo account {DEMO_ACCOUNT_ID} vanished right after its insert")
    return DemoAccount(
        created=created is not None,
        user_id=row["user_id"],
        starting_balance=row["starting_balance"],
        currency=row["currency"],
    )


def ensure_demo(
    settings: StackSettings, names: Collection[str] | None, *, progress: Progress
) -> DemoAccount | None:
    """Seed the demo account when ``up`` covered Postgres (``names`` None or naming it)."""
    if names is not None and "postgres" not in names:
        return None
    # Imported here, like the pool, so a stack without Postgres never loads asyncpg.
    import asyncpg

    try:
        demo = asyncio.run(seed_demo(settings.postgres_dsn))
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        raise StackError(f"the demo account could not be seeded: {exc!r}") from exc
    if demo.created:
        progress(f"created demo account {demo.account_id} of user {demo.user_id}")
    return replace(demo, strategy=ensure_demo_strategy(settings, demo, progress=progress))


def main_symbol(settings: StackSettings) -> str:
    """The synthetic market's first symbol."""
    return settings.demo_symbols.split(",")[0].strip() or "ESZ6"


def ensure_demo_strategy(
    settings: StackSettings, demo: DemoAccount, *, progress: Progress
) -> DemoStrategy:
    """Create the demo strategy on the demo account unless it exists; start it unless it runs."""
    import asyncpg

    from shared.messages.topics import STRATEGY_CONTROL

    run = run_demo_strategy(
        settings.postgres_dsn, account_id=demo.account_id, user_id=demo.user_id,
        symbol=main_symbol(settings), bootstrap=settings.kafka_bootstrap,
        control_topic=STRATEGY_CONTROL.name, workers_url=settings.service_url("strategy_workers"),
    )  # fmt: skip
    try:
        strategy = asyncio.run(run)
    except (OSError, TimeoutError, ValueError, asyncpg.PostgresError) as exc:
        raise StackError(f"the demo strategy could not be set up: {exc!r}") from exc
    if strategy.created:
        progress(f"created demo strategy {strategy.strategy_id}: {strategy.description}")
    if strategy.started:
        progress(f"started demo strategy {strategy.strategy_id}: {strategy.status}")
    return strategy


def submit_example(demo: DemoAccount, symbol: str = "ESZ6") -> str:
    """A command that buys one contract at market on the demo account and shows the fill."""
    return (
        f"uv run tickstream order submit --account {demo.account_id} --user {demo.user_id} "
        f"--symbol {symbol} --side buy --type market --qty 1 --wait-fill"
    )


def demo_lines(demo: DemoAccount, settings: StackSettings, *, services: bool) -> str:
    """The demo account (and, with the services up, how to trade it) as "where to look" rows."""
    symbol = main_symbol(settings)
    rows = [
        ("Demo user", str(demo.user_id)),
        ("Demo account", f"{demo.account_id}  {demo.starting_balance:f} {demo.currency}"),
    ]
    if services:
        rows.append(("Try an order", submit_example(demo, symbol)))
        rows.append(
            ("Its orders", f"uv run tickstream order list --account {demo.account_id} "
                           f"--user {demo.user_id}")
        )  # fmt: skip
    rows += strategy_rows(demo, services=services)
    return "\n".join(f"  {label:<20}{value}" for label, value in rows)


def strategy_rows(demo: DemoAccount, *, services: bool) -> list[tuple[str, str]]:
    """The demo strategy and the commands that watch it."""
    s = demo.strategy
    if s is None:
        return []
    state = s.status + (f" ({s.error})" if s.error else "")
    rows = [("Demo strategy", f"{s.strategy_id}  {s.description}  {state}")]
    if services:
        who = f"--account {demo.account_id} --user {demo.user_id}"
        rows += [
            ("Watch it", f"uv run tickstream strategy show {s.strategy_id}"),
            ("Its positions", f"uv run tickstream order positions {who}"),
        ]
    return rows
