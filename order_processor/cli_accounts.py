"""``tickstream account create`` and ``list``: paper accounts, written to Postgres directly.

They act on the configured database (``TICKSTREAM_POSTGRES_DSN``). Exit codes: 0 done (also
when the same account exists already), 1 the id belongs to a different account, 2 Postgres
cannot be reached or has no ledger tables yet.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from order_processor.cli_options import Exit, fail, parse_decimal, parse_uuid

if TYPE_CHECKING:
    from order_processor.cli_account_store import AccountRow
    from shared.db.pool import Connection

T = TypeVar("T")
CURRENCY = re.compile(r"^[A-Z][A-Z0-9]{2,5}$")


def _with_connection(work: Callable[[Connection], Awaitable[T]]) -> T:
    """Run ``work`` on one connection to the configured Postgres."""
    import asyncpg

    from order_processor.cli_session import load_settings
    from shared.db.pool import Database

    db = Database(load_settings().postgres_dsn.get_secret_value(), min_size=1, max_size=1)

    async def run() -> T:
        await db.start()
        try:
            async with db.pool.acquire() as conn:
                return await work(conn)
        finally:
            await db.close()

    try:
        return asyncio.run(run())
    except asyncpg.UndefinedTableError:
        raise fail(
            "the ledger tables are missing: run `tickstream migrate`", Exit.UNAVAILABLE
        ) from None
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        raise fail(f"Postgres cannot be reached: {exc!r}", Exit.UNAVAILABLE) from None


def account_line(row: AccountRow) -> str:
    """The account in one line."""
    return (
        f"account {row.account_id}  user {row.user_id}  {row.name!r}  "
        f"{row.starting_balance:f} {row.currency}"
    )


def create(
    *,
    user_id: Annotated[
        uuid.UUID, typer.Option(parser=parse_uuid, metavar="UUID", help="The owner's user id.")
    ],
    name: Annotated[str, typer.Option(help="A name people recognise.")],
    account_id: Annotated[
        uuid.UUID | None,
        typer.Option(
            parser=parse_uuid,
            metavar="UUID",
            help="The account's id (default: a new one); with it, create is idempotent.",
            show_default=False,
        ),
    ] = None,
    balance: Annotated[
        Decimal, typer.Option(parser=parse_decimal, metavar="AMOUNT", help="Starting balance.")
    ] = Decimal(100000),
    currency: Annotated[str, typer.Option(help="Currency of the balance.")] = "USD",
) -> None:
    """Create a paper account; the same create again says it exists (exit 0)."""
    from order_processor.cli_account_store import AccountRow, Created, create_account

    currency = currency.upper()
    if not CURRENCY.match(currency):
        raise typer.BadParameter(f"{currency!r} is not a currency code", param_hint="--currency")
    if balance < 0:
        raise typer.BadParameter("a starting balance is not negative", param_hint="--balance")
    if not name.strip():
        raise typer.BadParameter("an account needs a name", param_hint="--name")
    wanted = AccountRow(account_id or uuid.uuid4(), user_id, name, currency, balance)
    outcome, stored = _with_connection(lambda conn: create_account(conn, wanted))
    if outcome is Created.CONFLICT:
        raise fail(
            f"account {stored.account_id} exists with different values: "
            + "; ".join(stored.differences(wanted)),
            Exit.REJECTED,
        )
    typer.echo(f"{outcome.value}: {account_line(stored)}")


def list_(
    user_id: Annotated[
        uuid.UUID | None,
        typer.Option(
            parser=parse_uuid, metavar="UUID", help="Only this user's.", show_default=False
        ),
    ] = None,
) -> None:
    """List the accounts (of one user), oldest first."""
    from order_processor.cli_account_store import list_accounts
    from shared.cli.output import table

    rows = _with_connection(lambda conn: list_accounts(conn, user_id))
    if not rows:
        typer.echo("no accounts")
        return
    lines = [
        (str(r.account_id), str(r.user_id), r.name, f"{r.starting_balance:f}", r.currency)
        for r in rows
    ]
    typer.echo(table(("ACCOUNT", "USER", "NAME", "BALANCE", "CURRENCY"), lines))


def register(app: typer.Typer) -> None:
    """Add ``create`` and ``list`` to the ``account`` group."""
    app.command()(create)
    app.command("list")(list_)
