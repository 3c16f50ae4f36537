"""A live run's ``parity.Record``: the commands topic, the processor's events and the ledger."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shared.messages.schemas.orders import SubmitOrder
from shared.strategy.definition import StrategyDefinition
from tests.support.event_log import EventLog
from tests.support.parity import PositionFacts, Record, num, position_row, sent_row, state_row


async def from_live(
    pool: Any, commands: EventLog, topic: str, events: EventLog, d: StrategyDefinition
) -> Record:
    """A live run's record: ``commands`` logs ``topic``, ``events`` the processor's events."""
    sent = [
        sent_row(e.message_id, p, *_bracket(p))
        for e in commands.envelopes("SubmitOrder", topic=topic)
        if isinstance(p := e.payload, SubmitOrder) and p.strategy_id == d.strategy_id
    ]
    rows = await pool.fetch(
        "SELECT o.*, p.client_order_id AS parent FROM orders o "
        "LEFT JOIN orders p ON p.order_id = o.parent_order_id WHERE o.strategy_id = $1",
        d.strategy_id,
    )
    orders = sorted(state_row(_Row(r), r["parent"]) for r in rows)
    logged = [p.fill_id for p in events.payloads("OrderFilled") if p.strategy_id == d.strategy_id]
    rank = {fill_id: i for i, fill_id in enumerate(dict.fromkeys(logged))}
    rows = await pool.fetch(
        "SELECT f.*, o.client_order_id FROM fills f JOIN orders o USING (order_id) "
        "WHERE f.strategy_id = $1",
        d.strategy_id,
    )
    fills = [
        (r["fill_id"].hex, r["client_order_id"], r["side"], num(r["price"]),
         num(r["quantity"]), num(r["commission"]), r["ts_ns"], r["venue_trade_id"])
        for r in sorted(rows, key=lambda r: rank[r["fill_id"]])
    ]  # fmt: skip
    rows = await pool.fetch(
        "SELECT * FROM positions WHERE account_id = $1 ORDER BY opened_ns", d.account_id
    )
    positions = [position_row(_ledger_position(r), r["closed_ns"] is not None) for r in rows]
    open_now = [r for r in rows if r["closed_ns"] is None]
    net = sum((r["quantity"] * (1 if r["side"] == "LONG" else -1) for r in open_now), Decimal(0))
    realized = sum(
        (r["gross_pnl"] - r["commissions"] for r in rows if r["closed_ns"] is not None),
        Decimal(0),
    )
    return Record(sent, orders, fills, positions, (num(net), num(realized)))


def _bracket(p: SubmitOrder) -> tuple[Decimal | None, Decimal | None]:
    b = p.bracket
    return (None, None) if b is None else (b.take_profit_price, b.stop_loss_price)


class _Row:
    """An orders row read by attribute, as an engine ``Order`` is."""

    def __init__(self, row: Any) -> None:
        self._row = row

    def __getattr__(self, name: str) -> Any:
        return self._row[name]


def _ledger_position(r: Any) -> PositionFacts:
    closed = r["closed_ns"]
    return PositionFacts(
        r["position_id"], r["side"], r["max_quantity"], r["entry_notional"] / r["entry_quantity"],
        r["opened_ns"], closed,
        r["exit_notional"] / r["closed_quantity"] if r["closed_quantity"] else None,
        r["gross_pnl"], r["commissions"], r["mae"], r["mfe"],
    )  # fmt: skip
