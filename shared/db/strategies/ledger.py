"""A strategy's own trading as the ledger has it: its fills and its orders still working.

A restarted strategy rebuilds its book from these, so it knows what it holds and which of
its orders are still out.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from shared.db.pool import Connection
from shared.messages.schemas.common import OrderSide
from shared.messages.schemas.order_events import OrderFilled

WorkingOrder = tuple[str, str, Decimal, bool, bool]
"""(client_order_id, symbol, signed leaves quantity, is_market, reduce_only)."""

# Each fill's cumulative quantity is the running sum over its order's fills in time order.
_FILLS = """
SELECT f.fill_id, f.order_id, f.account_id, f.user_id, f.symbol, f.side, f.price,
       f.quantity, f.commission, f.currency, f.venue_trade_id, o.client_order_id,
       o.strategy_id, o.strategy_version, o.quantity AS order_quantity,
       sum(f.quantity) OVER (PARTITION BY f.order_id ORDER BY f.ts_ns, f.fill_id) AS cum
FROM orders o JOIN fills f ON f.order_id = o.order_id
WHERE o.strategy_id = $1
ORDER BY f.ts_ns, o.created_ns, o.client_order_id, cum
"""
_WORKING = """
SELECT client_order_id, symbol, side, quantity - filled_quantity AS leaves,
       order_type = 'MARKET' AS market, reduce_only
FROM orders
WHERE strategy_id = $1 AND status IN ('ACCEPTED', 'TRIGGERED', 'PARTIALLY_FILLED')
ORDER BY created_ns, client_order_id
"""


async def fills(conn: Connection, strategy_id: uuid.UUID) -> list[OrderFilled]:
    """The strategy's fills (every version's), oldest first, as ``OrderFilled`` payloads."""
    found = []
    for r in await conn.fetch(_FILLS, strategy_id):
        cum: Decimal = r["cum"]
        found.append(
            OrderFilled(
                account_id=r["account_id"],
                user_id=r["user_id"],
                order_id=r["order_id"],
                client_order_id=r["client_order_id"],
                symbol=r["symbol"],
                strategy_id=r["strategy_id"],
                strategy_version=r["strategy_version"],
                fill_id=r["fill_id"],
                venue_trade_id=r["venue_trade_id"],
                side=OrderSide(r["side"]),
                price=r["price"],
                quantity=r["quantity"],
                commission=r["commission"],
                commission_currency=r["currency"],
                cum_quantity=cum,
                leaves_quantity=max(Decimal(0), r["order_quantity"] - cum),
            )
        )
    return found


async def working_orders(conn: Connection, strategy_id: uuid.UUID) -> list[WorkingOrder]:
    """The strategy's orders still working, oldest first."""
    return [
        (
            r["client_order_id"],
            r["symbol"],
            r["leaves"] if r["side"] == "BUY" else -r["leaves"],
            r["market"],
            r["reduce_only"],
        )
        for r in await conn.fetch(_WORKING, strategy_id)
    ]
