"""Rebuilding the engine from the ledger on start, and fetching what a batch may need.

Working orders, open positions, limits, trading states and today's realized P&L come back
into memory; finished orders stay in Postgres and are fetched when a command names them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection

from order_processor.adapters.rows import NIL, order_from, position_from, scope_part
from shared.db.pool import Connection
from shared.messages.schemas.risk import StateScope, TradingState
from shared.trading.orders import WORKING, Order
from shared.trading.risk_limits import RiskLimits
from shared.trading.state import Account, EngineState

_WORKING = [s.value for s in WORKING]
_STRATEGY_NETS = (
    "SELECT account_id, strategy_id, symbol, "
    "sum(CASE side WHEN 'BUY' THEN quantity ELSE -quantity END) AS net, "
    "max(strategy_version) AS version "
    "FROM fills WHERE strategy_id IS NOT NULL AND account_id = ANY($1::uuid[]) "
    "GROUP BY 1, 2, 3"
)


def _account(r: object) -> Account:
    return Account(r["account_id"], r["user_id"], r["currency"], r["starting_balance"])  # type: ignore[index]


async def fetch_accounts(conn: Connection, ids: Collection[uuid.UUID]) -> list[Account]:
    rows = await conn.fetch(
        "SELECT account_id, user_id, currency, starting_balance FROM accounts "
        "WHERE account_id = ANY($1::uuid[])",
        list(ids),
    )
    return [_account(r) for r in rows]


async def fetch_orders(
    conn: Connection, ids: Collection[uuid.UUID], clients: Collection[tuple[uuid.UUID, str]]
) -> list[Order]:
    """Orders named by id or by (account, client order id), whatever their status."""
    rows = await conn.fetch(
        "SELECT * FROM orders WHERE order_id = ANY($1::uuid[]) OR (account_id, client_order_id)"
        " IN (SELECT * FROM unnest($2::uuid[], $3::text[]))",
        list(ids),
        [a for a, _ in clients],
        [c for _, c in clients],
    )
    return [order_from(r) for r in rows]


async def restore(
    conn: Connection, st: EngineState, owns: Callable[[uuid.UUID], bool] = lambda _a: True
) -> None:
    """Load the state of the accounts ``owns`` accepts into a fresh engine state."""
    accounts = [_account(r) for r in await conn.fetch("SELECT * FROM accounts")]
    for account in accounts:
        if owns(account.account_id):
            st.accounts[account.account_id] = account
    held = list(st.accounts)
    rows = await conn.fetch(
        "SELECT * FROM orders WHERE status = ANY($1::text[]) AND account_id = ANY($2::uuid[])"
        " ORDER BY created_ns, order_id",
        _WORKING,
        held,
    )
    orders = [order_from(r) for r in rows]
    by_id = {o.order_id: o for o in orders}
    for r in await conn.fetch(
        "SELECT order_id, venue_trade_id FROM fills WHERE order_id = ANY($1::uuid[])", list(by_id)
    ):
        by_id[r["order_id"]].trade_ids.add(r["venue_trade_id"])
    for order in orders:
        st.book.add(order)
        if order.strategy_id is not None and order.strategy_version is not None:
            st.strategy_versions[order.strategy_id] = order.strategy_version
    st.exposure.restore_orders(orders)
    for r in await conn.fetch(
        "SELECT * FROM positions WHERE closed_ns IS NULL AND account_id = ANY($1::uuid[])", held
    ):
        position = position_from(r)
        st.positions.restore(position)
        st.exposure.restore_position(
            (position.account_id, None), position.symbol, position.signed_quantity
        )
    for r in await conn.fetch(_STRATEGY_NETS, held):
        st.exposure.restore_position((r["account_id"], r["strategy_id"]), r["symbol"], r["net"])
        st.strategy_versions.setdefault(r["strategy_id"], r["version"])
    await _restore_risk(conn, st, held)


async def _restore_risk(conn: Connection, st: EngineState, held: list[uuid.UUID]) -> None:
    for r in await conn.fetch("SELECT * FROM risk_limits WHERE account_id = ANY($1::uuid[])", held):
        scope = (r["account_id"], scope_part(r["strategy_id"]))
        st.set_limits(scope, RiskLimits.from_dict(r["limits"]))
    for r in await conn.fetch(
        "SELECT * FROM trading_states WHERE account_id = ANY($1::uuid[])", [*held, NIL]
    ):
        state = TradingState(r["state"])
        account, strategy = r["account_id"], scope_part(r["strategy_id"])
        if account == NIL:
            st.states.load(StateScope.GLOBAL, None, None, state)
        elif strategy is None:
            st.states.load(StateScope.ACCOUNT, account, None, state)
        else:
            st.states.load(StateScope.STRATEGY, account, strategy, state)
    for r in await conn.fetch(
        "SELECT * FROM risk_daily_pnl WHERE account_id = ANY($1::uuid[])", held
    ):
        scope = (r["account_id"], scope_part(r["strategy_id"]))
        st.daily.restore(scope, r["trading_day"], r["realized"])
