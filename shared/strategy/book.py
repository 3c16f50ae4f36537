"""A strategy's own view of its trading: fills into a position, and the orders it has out.

The account's ledger lives in the order processor; a strategy shares its account with
others, so it keeps its own book from its own fills (each counted once, by fill id).
``intended`` adds the market orders still on their way, so a strategy deciding on the next
bar acts the same whether or not the fill of its last order has reached it yet: the same
decisions live (where a fill event may arrive after the next bar) and in a backtest.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal(0)


@dataclass(slots=True)
class Holding:
    """The strategy's position in one symbol: signed size, average entry, realized P&L."""

    quantity: Decimal = ZERO
    average_price: Decimal = ZERO
    realized: Decimal = ZERO
    commissions: Decimal = ZERO

    def apply(self, signed: Decimal, price: Decimal, point_value: Decimal) -> None:
        """Book a fill of ``signed`` contracts at ``price``."""
        held = self.quantity
        if held == 0 or (held > 0) == (signed > 0):
            total = held + signed
            self.average_price = (self.average_price * abs(held) + price * abs(signed)) / abs(total)
            self.quantity = total
            return
        closed = min(abs(held), abs(signed))
        direction = 1 if held > 0 else -1
        self.realized += (price - self.average_price) * closed * direction * point_value
        rest = held + signed
        if rest == 0 or (rest > 0) == (held > 0):
            self.quantity = rest
            if rest == 0:
                self.average_price = ZERO
        else:  # crossed zero: the remainder opens the other way at this price
            self.quantity = rest
            self.average_price = price


@dataclass(slots=True)
class Pending:
    """An order the strategy sent that is not done yet."""

    symbol: str
    signed_leaves: Decimal
    market: bool
    reduce_only: bool


@dataclass(slots=True)
class StrategyBook:
    """Holdings by symbol, orders out by client order id, fills seen by id."""

    holdings: dict[str, Holding] = field(default_factory=dict)
    pending: dict[str, Pending] = field(default_factory=dict)
    seen_fills: set[uuid.UUID] = field(default_factory=set)

    def holding(self, symbol: str) -> Holding:
        """The holding of ``symbol`` (flat when none)."""
        found = self.holdings.get(symbol)
        if found is None:
            found = self.holdings[symbol] = Holding()
        return found

    def position(self, symbol: str) -> Decimal:
        """The filled signed size."""
        found = self.holdings.get(symbol)
        return found.quantity if found is not None else ZERO

    def intended(self, symbol: str) -> Decimal:
        """The filled size plus the market orders still out."""
        total = self.position(symbol)
        for order in self.pending.values():
            if order.market and order.symbol == symbol:
                total += order.signed_leaves
        return total

    def sent(self, client_order_id: str, pending: Pending) -> None:
        """An order went out."""
        self.pending[client_order_id] = pending

    def filled(  # noqa: PLR0917 -- one fill's facts
        self,
        fill_id: uuid.UUID,
        client_order_id: str,
        symbol: str,
        signed: Decimal,
        price: Decimal,
        commission: Decimal,
        point_value: Decimal,
        done: bool,
    ) -> bool:
        """Book a fill once; False when it was seen before."""
        if fill_id in self.seen_fills:
            return False
        self.seen_fills.add(fill_id)
        holding = self.holding(symbol)
        holding.apply(signed, price, point_value)
        holding.commissions += commission
        order = self.pending.get(client_order_id)
        if order is not None:
            order.signed_leaves -= signed
            if done or order.signed_leaves == 0:
                del self.pending[client_order_id]
        return True

    def ended(self, client_order_id: str) -> None:
        """An order was rejected, canceled or expired."""
        self.pending.pop(client_order_id, None)

    def realized(self) -> Decimal:
        """Realized P&L after commissions, over every symbol."""
        return sum((h.realized - h.commissions for h in self.holdings.values()), ZERO)
