"""What a strategy did, as rows to compare between a live run and a backtest.

Live (``parity_live.from_live``), from the commands topic (the orders the worker sent, in
order), the events topic (the order of the fills) and the ledger (orders' final states,
fills, positions); in a backtest (``from_backtest``), from its ``BacktestResult``. Amounts
are canonical decimal strings, ids hex, so a difference shows as a readable line of a
unified diff.
"""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from shared.backtest import BacktestResult, BarSeries, series
from shared.messages.schemas.marketdata import Bar
from shared.messages.schemas.orders import SubmitOrder
from shared.trading.orders import Order

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Record:
    """One run of a strategy: each list in the order it is compared in."""

    sent: list[Row]
    """Orders the strategy sent, in order: id, client id, side, type, quantity, prices,
    bracket, time in force, reduce only, tag, version."""
    orders: list[Row]
    """Every order's final state (bracket legs too), by client order id."""
    fills: list[Row]
    """Fills in the order they happened: id, client order id, side, price, quantity,
    commission, time, market point."""
    positions: list[Row]
    """Positions by opening: entry, exit, P&L, commissions and excursions (open: entry)."""
    final: Row
    """Net position and realized P&L after commissions over the closed positions."""


def bar_series(bars: Sequence[Bar]) -> BarSeries:
    """The backtester's columns of ``bars`` (one symbol and timeframe)."""
    return series(
        bars[0].symbol,
        bars[0].timeframe,
        [b.open_time for b in bars],
        [b.close_time for b in bars],
        [float(b.open) for b in bars],
        [float(b.high) for b in bars],
        [float(b.low) for b in bars],
        [float(b.close) for b in bars],
        [float(b.volume) for b in bars],
    )


def num(value: Any) -> str | None:
    """A number as its shortest exact decimal text; None stays None."""
    if value is None:
        return None
    return f"{Decimal(value).normalize():f}"


def _text(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


def _hex(value: uuid.UUID | None) -> str | None:
    return None if value is None else value.hex


def sent_row(
    order_id: uuid.UUID, o: SubmitOrder | Order, tp: Decimal | None, sl: Decimal | None
) -> Row:
    """An order as the strategy sent it (``Record.sent``); ``tp``/``sl`` its bracket."""
    return (
        order_id.hex, o.client_order_id, _text(o.side), _text(o.order_type), num(o.quantity),
        num(o.limit_price), num(o.stop_price), num(tp), num(sl), _text(o.time_in_force),
        o.reduce_only, o.tag, o.strategy_version,
    )  # fmt: skip


def state_row(o: Any, parent: str | None) -> Row:
    """An order's final state (``Record.orders``); ``parent``: its entry's client order id."""
    return (
        o.client_order_id, _hex(o.order_id), parent, _text(o.side), _text(o.order_type),
        num(o.quantity), num(o.limit_price), num(o.stop_price), num(o.take_profit),
        num(o.stop_loss), o.reduce_only, _text(o.status), num(o.filled_quantity),
        num(o.notional_filled), o.triggered,
    )  # fmt: skip


@dataclass(frozen=True)
class PositionFacts:
    """A position as the ledger and a backtest trade both tell it."""

    position_id: uuid.UUID
    side: Any
    quantity: Decimal
    entry_price: Decimal
    opened: int
    closed: int | None
    exit_price: Decimal | None
    gross_pnl: Decimal
    commission: Decimal
    mae: Decimal
    mfe: Decimal


def position_row(p: PositionFacts, closed: bool) -> Row:
    """A position (``Record.positions``); an open one by its entry and commissions only (the
    rest is still moving, and the ledger keeps it only as of the last fill)."""
    head = (_hex(p.position_id), _text(p.side), num(p.quantity), num(p.entry_price), p.opened)
    if not closed:
        return (*head, num(p.commission))
    tail = (p.closed, num(p.exit_price), num(p.gross_pnl), num(p.commission))
    return (*head, *tail, num(p.mae), num(p.mfe))


def from_backtest(result: BacktestResult) -> Record:
    """A backtest's record (run with open trades reported, not closed)."""
    by_id = {o.order_id: o for o in result.orders}
    roots = [o for o in result.orders if o.parent_order_id is None]
    roots.sort(key=lambda o: o.created_ns)  # stable: a bar's orders keep their rank
    sent = [sent_row(o.order_id, o, o.take_profit, o.stop_loss) for o in roots]
    orders = sorted(
        state_row(o, _parent(by_id, o.parent_order_id)) for o in result.orders
    )  # fmt: skip
    fills = [
        (f.fill_id.hex, by_id[f.order_id].client_order_id, _text(f.side), num(f.price),
         num(f.quantity), num(f.commission), f.ts_ns, f.venue_trade_id)
        for f in result.fills
    ]  # fmt: skip
    trades = sorted((*result.trades, *result.open_trades), key=lambda t: t.entry_time)
    positions = [
        position_row(
            PositionFacts(t.position_id, t.side, t.quantity, t.entry_price, t.entry_time,
                      t.exit_time, t.exit_price, t.gross_pnl, t.commission, t.mae, t.mfe),
            t.closed,
        )
        for t in trades
    ]  # fmt: skip
    net = sum((f.signed_quantity for f in result.fills), Decimal(0))
    realized = sum((t.net_pnl for t in result.trades), Decimal(0))
    return Record(sent, orders, fills, positions, (num(net), num(realized)))


def _parent(by_id: dict[uuid.UUID, Order], parent: uuid.UUID | None) -> str | None:
    return None if parent is None else by_id[parent].client_order_id


def differences(live: Record, backtest: Record) -> str:
    """Empty when both runs agree; else a unified diff of each part that differs."""
    out = []
    for part in fields(Record):
        a, b = getattr(live, part.name), getattr(backtest, part.name)
        if a != b:
            lines = [repr(x) for x in a] if isinstance(a, list) else [repr(a)]
            other = [repr(x) for x in b] if isinstance(b, list) else [repr(b)]
            diff = difflib.unified_diff(lines, other, "live", "backtest", lineterm="", n=2)
            out.append(f"{part.name} differ:\n" + "\n".join(diff))
    return "\n\n".join(out)
