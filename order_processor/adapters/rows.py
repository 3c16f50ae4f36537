"""Ledger rows: orders, fills and positions to and from their Postgres tuples."""

from __future__ import annotations

import uuid
from collections import deque
from decimal import Decimal
from typing import Any

import asyncpg

from shared.messages.schemas.common import OrderSide, OrderType, PositionSide, TimeInForce
from shared.trading.fills import Fill
from shared.trading.lots import Lot, Position
from shared.trading.orders import Order, OrderStatus

NIL = uuid.UUID(int=0)
"""Stored for "no strategy" (an account's own scope) and "no account" (the platform)."""


def stored_id(value: uuid.UUID | None) -> uuid.UUID:
    """A scope part as stored: None becomes the nil uuid."""
    return NIL if value is None else value


def scope_part(value: uuid.UUID) -> uuid.UUID | None:
    """A stored scope part back: the nil uuid becomes None."""
    return None if value == NIL else value


ORDER_COLUMNS = (
    "order_id", "account_id", "user_id", "client_order_id", "symbol", "side", "order_type",
    "time_in_force", "quantity", "limit_price", "stop_price", "reduce_only", "strategy_id",
    "strategy_version", "parent_order_id", "oco_group_id", "take_profit", "stop_loss", "tag",
    "status", "filled_quantity", "notional_filled", "triggered", "fresh", "created_ns",
    "updated_ns", "expire_ns", "reason", "message", "not_before_ns",
)  # fmt: skip
FILL_COLUMNS = (
    "fill_id", "order_id", "account_id", "user_id", "symbol", "side", "price", "quantity",
    "commission", "currency", "ts_ns", "venue_trade_id", "strategy_id", "strategy_version",
)  # fmt: skip
POSITION_COLUMNS = (
    "position_id", "account_id", "user_id", "symbol", "side", "quantity", "max_quantity",
    "entry_quantity", "entry_notional", "closed_quantity", "exit_notional", "gross_pnl",
    "commissions", "mae", "mfe", "currency", "point_value", "opened_ns", "closed_ns",
    "last_fill_id", "lots",
)  # fmt: skip


def order_row(o: Order) -> tuple[Any, ...]:
    return (
        o.order_id, o.account_id, o.user_id, o.client_order_id, o.symbol, o.side.value,
        o.order_type.value, o.time_in_force.value, o.quantity, o.limit_price, o.stop_price,
        o.reduce_only, o.strategy_id, o.strategy_version, o.parent_order_id, o.oco_group_id,
        o.take_profit, o.stop_loss, o.tag, o.status.value if o.status else None,
        o.filled_quantity, o.notional_filled, o.triggered, o.fresh, o.created_ns, o.updated_ns,
        o.expire_ns, o.reason, o.message, o.not_before_ns,
    )  # fmt: skip


def fill_row(f: Fill) -> tuple[Any, ...]:
    return (
        f.fill_id, f.order_id, f.account_id, f.user_id, f.symbol, f.side.value, f.price,
        f.quantity, f.commission, f.currency, f.ts_ns, f.venue_trade_id, f.strategy_id,
        f.strategy_version,
    )  # fmt: skip


def lots_data(p: Position) -> list[dict[str, Any]]:
    """The open lots as JSON-ready dicts, oldest first (the pool encodes jsonb)."""
    return (
        [
            {"fill_id": str(lot.fill_id), "ts_ns": lot.ts_ns, "price": str(lot.price),
             "quantity": str(lot.quantity)}
            for lot in p.lots
        ]
    )  # fmt: skip


def position_row(p: Position) -> tuple[Any, ...]:
    return (
        p.position_id, p.account_id, p.user_id, p.symbol, p.side.value, p.quantity,
        p.max_quantity, p.entry_quantity, p.entry_notional, p.closed_quantity, p.exit_notional,
        p.gross_pnl, p.commissions, p.mae, p.mfe, p.currency, p.point_value, p.opened_ns,
        p.closed_ns, p.last_fill_id, lots_data(p),
    )  # fmt: skip


def order_from(r: asyncpg.Record) -> Order:
    """An order as stored; a working order keeps no trade ids (fills by id are unique)."""
    return Order(
        order_id=r["order_id"], account_id=r["account_id"], user_id=r["user_id"],
        client_order_id=r["client_order_id"], symbol=r["symbol"], side=OrderSide(r["side"]),
        order_type=OrderType(r["order_type"]), quantity=r["quantity"],
        time_in_force=TimeInForce(r["time_in_force"]), created_ns=r["created_ns"],
        limit_price=r["limit_price"], stop_price=r["stop_price"], reduce_only=r["reduce_only"],
        strategy_id=r["strategy_id"], strategy_version=r["strategy_version"],
        parent_order_id=r["parent_order_id"], oco_group_id=r["oco_group_id"],
        take_profit=r["take_profit"], stop_loss=r["stop_loss"], tag=r["tag"],
        expire_ns=r["expire_ns"], status=OrderStatus(r["status"]),
        filled_quantity=r["filled_quantity"], notional_filled=r["notional_filled"],
        triggered=r["triggered"], fresh=r["fresh"], updated_ns=r["updated_ns"],
        reason=r["reason"], message=r["message"], not_before_ns=r.get("not_before_ns") or 0,
    )  # fmt: skip


def position_from(r: asyncpg.Record) -> Position:
    lots = deque(
        Lot(uuid.UUID(x["fill_id"]), x["ts_ns"], Decimal(x["price"]), Decimal(x["quantity"]))
        for x in r["lots"]
    )
    return Position(
        position_id=r["position_id"], account_id=r["account_id"], user_id=r["user_id"],
        symbol=r["symbol"], side=PositionSide(r["side"]), currency=r["currency"],
        point_value=r["point_value"], opened_ns=r["opened_ns"], last_fill_id=r["last_fill_id"],
        quantity=r["quantity"], lots=lots, entry_quantity=r["entry_quantity"],
        entry_notional=r["entry_notional"], closed_quantity=r["closed_quantity"],
        exit_notional=r["exit_notional"], max_quantity=r["max_quantity"],
        gross_pnl=r["gross_pnl"], commissions=r["commissions"], closed_ns=r["closed_ns"],
        mae=r["mae"], mfe=r["mfe"],
    )  # fmt: skip
