"""Positions recomputed from a fill log by brute force, to check the ledger against.

Written apart from the trading domain on purpose: per account and symbol, fills in time
order; a fill opposite to the open position closes lots first-in-first-out and whatever is
left opens a new position the other way (a position never flips). Commissions are charged
per contract, so the part of a fill that closes and the part that opens each pay their own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

ZERO = Decimal(0)


@dataclass
class Expected:
    """A position as its fills make it; field names follow the ``positions`` table."""

    account_id: uuid.UUID
    symbol: str
    side: str
    opened_ns: int
    last_fill_id: uuid.UUID
    quantity: Decimal = ZERO
    max_quantity: Decimal = ZERO
    entry_quantity: Decimal = ZERO
    entry_notional: Decimal = ZERO
    closed_quantity: Decimal = ZERO
    exit_notional: Decimal = ZERO
    gross_pnl: Decimal = ZERO
    commissions: Decimal = ZERO
    closed_ns: int | None = None
    lots: list[list[Any]] = field(default_factory=list)
    """[fill_id, price, open quantity], oldest first."""

    def comparable(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in COMPARED}
        out["lots"] = [(f, p, q) for f, p, q in self.lots]
        return out


COMPARED = (
    "account_id", "symbol", "side", "opened_ns", "last_fill_id", "quantity", "max_quantity",
    "entry_quantity", "entry_notional", "closed_quantity", "exit_notional", "gross_pnl",
    "commissions", "closed_ns",
)  # fmt: skip


def from_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A ``positions`` row in the shape of ``Expected.comparable``."""
    out = {name: row[name] for name in COMPARED}
    out["lots"] = [
        (uuid.UUID(lot["fill_id"]), Decimal(lot["price"]), Decimal(lot["quantity"]))
        for lot in row["lots"]
    ]
    return out


def recompute(fills: Iterable[Mapping[str, Any]], point_value: Decimal) -> list[Expected]:
    """Every position the fills make, closed and open, ordered by account and opening time.

    Within an account and symbol the fills must have distinct times: their order is
    the order they were booked in.
    """
    ordered = sorted(fills, key=lambda f: (str(f["account_id"]), f["symbol"], f["ts_ns"]))
    done: list[Expected] = []
    open_: dict[tuple[uuid.UUID, str], Expected] = {}
    for f in ordered:
        key = (f["account_id"], f["symbol"])
        sign = 1 if f["side"] == "BUY" else -1
        left = f["quantity"]
        per_contract = f["commission"] / f["quantity"]
        pos = open_.get(key)
        if pos is not None and (1 if pos.side == "LONG" else -1) != sign:
            closing = min(left, pos.quantity)
            _close(pos, f, closing, per_contract, point_value)
            left -= closing
            if pos.quantity == 0:
                pos.closed_ns = f["ts_ns"]
                done.append(open_.pop(key))
        if left:
            if key not in open_:
                side = "LONG" if sign > 0 else "SHORT"
                open_[key] = Expected(f["account_id"], f["symbol"], side, f["ts_ns"], f["fill_id"])
            _open(open_[key], f, left, per_contract)
    every = done + list(open_.values())
    return sorted(every, key=lambda p: (str(p.account_id), p.symbol, p.opened_ns))


def _open(pos: Expected, f: Mapping[str, Any], qty: Decimal, per_contract: Decimal) -> None:
    pos.lots.append([f["fill_id"], f["price"], qty])
    pos.quantity += qty
    pos.max_quantity = max(pos.max_quantity, pos.quantity)
    pos.entry_quantity += qty
    pos.entry_notional += f["price"] * qty
    pos.commissions += per_contract * qty
    pos.last_fill_id = f["fill_id"]


def _close(
    pos: Expected, f: Mapping[str, Any], qty: Decimal, per_contract: Decimal, point_value: Decimal
) -> None:
    direction = 1 if pos.side == "LONG" else -1
    left = qty
    while left:
        lot = pos.lots[0]
        take = min(lot[2], left)
        pos.gross_pnl += (f["price"] - lot[1]) * take * direction * point_value
        lot[2] -= take
        left -= take
        if lot[2] == 0:
            pos.lots.pop(0)
    pos.quantity -= qty
    pos.closed_quantity += qty
    pos.exit_notional += f["price"] * qty
    pos.commissions += per_contract * qty
    pos.last_fill_id = f["fill_id"]
