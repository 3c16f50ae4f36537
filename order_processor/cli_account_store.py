"""Paper accounts in the ledger's ``accounts`` table, as operators create and list them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from shared.db.pool import Connection

_INSERT = (
    "INSERT INTO accounts (account_id, user_id, name, currency, starting_balance) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id) DO NOTHING RETURNING created_at"
)
_SELECT = "SELECT account_id, user_id, name, currency, starting_balance, created_at FROM accounts"


def _text(value: object) -> str:
    # Postgres hands back numeric 100000 as Decimal('1.0E+5'): say it as people write it.
    return format(value, "f") if isinstance(value, Decimal) else str(value)


@dataclass(frozen=True)
class AccountRow:
    """One account: who owns it, its name, currency and starting balance."""

    account_id: uuid.UUID
    user_id: uuid.UUID
    name: str
    currency: str
    starting_balance: Decimal
    created_at: datetime | None = None

    def differences(self, other: AccountRow) -> list[str]:
        """``field is stored, not asked`` for each field where ``other`` differs."""
        fields = ("user_id", "name", "currency", "starting_balance")
        return [
            f"{f} is {_text(getattr(self, f))}, not {_text(getattr(other, f))}"
            for f in fields
            if getattr(self, f) != getattr(other, f)
        ]


class Created(StrEnum):
    """What ``create_account`` found."""

    CREATED = "created"
    EXISTS = "exists"
    """The same account was already there."""
    CONFLICT = "conflict"
    """Another account holds the id."""


async def create_account(conn: Connection, wanted: AccountRow) -> tuple[Created, AccountRow]:
    """Insert the account unless its id is taken; the outcome and the stored row."""
    created_at = await conn.fetchval(
        _INSERT,
        wanted.account_id,
        wanted.user_id,
        wanted.name,
        wanted.currency,
        wanted.starting_balance,
    )
    if created_at is not None:
        return Created.CREATED, AccountRow(**{**wanted.__dict__, "created_at": created_at})
    stored = await fetch_account(conn, wanted.account_id)
    if stored is None:  # deleted in between: a conflict to report, not to paper over
        raise RuntimeError(f"account {wanted.account_id} vanished while being created")
    return (Created.CONFLICT if stored.differences(wanted) else Created.EXISTS), stored


async def fetch_account(conn: Connection, account_id: uuid.UUID) -> AccountRow | None:
    """One account by id, if it exists."""
    row = await conn.fetchrow(f"{_SELECT} WHERE account_id = $1", account_id)
    return None if row is None else AccountRow(**dict(row))


async def list_accounts(conn: Connection, user_id: uuid.UUID | None = None) -> list[AccountRow]:
    """Every account (or one user's), oldest first."""
    order = " ORDER BY created_at, account_id"
    if user_id is None:
        rows = await conn.fetch(_SELECT + order)
    else:
        rows = await conn.fetch(f"{_SELECT} WHERE user_id = $1{order}", user_id)
    return [AccountRow(**dict(r)) for r in rows]
