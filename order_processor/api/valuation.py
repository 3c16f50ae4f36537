"""Marking positions and adding up an account: pure arithmetic on exact Decimals."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from order_processor.api.marks import LastTrade
from shared.trading.lots import Position

ZERO = Decimal(0)
DEFAULT_MARGIN_RATE = Decimal("0.10")
MARGIN_RULE = (
    "margin_in_use = exposure x margin_rate. The instrument registry has no initial margin "
    "per contract, so margin is a flat share of the marked notional of the open positions "
    "(working orders are not counted)."
)
MarkSource = Literal["last_trade", "entry"]


@dataclass(frozen=True, slots=True)
class Marked:
    """A position with its mark (open ones only), unrealized P&L and how long it has lived.

    ``mark_source`` is ``last_trade`` when a last price is known, else ``entry``: the mark
    is then the average entry price and the unrealized P&L is taken as zero.
    """

    position: Position
    mark_price: Decimal | None
    mark_source: MarkSource | None
    mark_ns: int | None
    unrealized: Decimal
    duration_ns: int


def mark(position: Position, last: Mapping[str, LastTrade], now_ns: int) -> Marked:
    """``position`` marked at its symbol's last trade in ``last`` (closed ones unmarked)."""
    if position.closed_ns is not None:
        return Marked(position, None, None, None, ZERO, position.closed_ns - position.opened_ns)
    # A clock a little behind the writer's must not make a fresh position's age negative.
    duration = max(0, now_ns - position.opened_ns)
    trade = last.get(position.symbol)
    if trade is None:
        return Marked(position, position.avg_entry_price, "entry", None, ZERO, duration)
    unrealized = position.unrealized_pnl(trade.price)
    return Marked(position, trade.price, "last_trade", trade.ts_ns, unrealized, duration)


@dataclass(frozen=True, slots=True)
class Summary:
    """An account's money: balance = starting + realized; equity = balance + unrealized."""

    starting_balance: Decimal
    realized_pnl: Decimal
    commissions: Decimal
    balance: Decimal
    unrealized_pnl: Decimal
    equity: Decimal
    exposure: Decimal
    margin_rate: Decimal
    margin_in_use: Decimal
    margin_available: Decimal


def summarize(
    starting_balance: Decimal,
    realized: Decimal,
    commissions: Decimal,
    open_positions: Sequence[Marked],
    *,
    point_value: Callable[[str], Decimal | None],
    margin_rate: Decimal = DEFAULT_MARGIN_RATE,
) -> Summary:
    """Add up an account; ``realized`` is already net of ``commissions``.

    Exposure is the sum of |quantity| x mark x point value (the instrument's, else the
    one the position was opened with); margin follows ``MARGIN_RULE``.
    """
    unrealized = sum((m.unrealized for m in open_positions), ZERO)
    exposure = ZERO
    for m in open_positions:
        assert m.mark_price is not None, "an open position always has a mark"
        value = point_value(m.position.symbol) or m.position.point_value
        exposure += m.position.quantity * abs(m.mark_price) * value
    balance = starting_balance + realized
    equity = balance + unrealized
    margin = exposure * margin_rate
    return Summary(
        starting_balance=starting_balance,
        realized_pnl=realized,
        commissions=commissions,
        balance=balance,
        unrealized_pnl=unrealized,
        equity=equity,
        exposure=exposure,
        margin_rate=margin_rate,
        margin_in_use=margin,
        margin_available=equity - margin,
    )
