"""A risk scope's books: per instrument net and working quantities, totals, order times.

A scope is ``(account_id, strategy_id)``; ``(account_id, None)`` is the whole account.
``Exposure`` keeps these up to date.
"""

from __future__ import annotations

import uuid
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal

Scope = tuple[uuid.UUID, uuid.UUID | None]
ZERO = Decimal(0)
WINDOW_NS = 60_000_000_000
"""The order-rate window: 60 seconds, sliding."""


def scopes_of(account_id: uuid.UUID, strategy_id: uuid.UUID | None) -> tuple[Scope, ...]:
    """The scopes an order of this account and strategy counts in: account first."""
    if strategy_id is None:
        return ((account_id, None),)
    return ((account_id, None), (account_id, strategy_id))


@dataclass(slots=True)
class SymbolExposure:
    """One instrument in one scope: signed net position and working buy/sell quantities."""

    net: Decimal = ZERO
    buy: Decimal = ZERO
    sell: Decimal = ZERO

    def worst(self) -> Decimal:
        """|position| if every working order of the worse side filled."""
        return max(abs(self.net + self.buy), abs(self.net - self.sell))


@dataclass(slots=True)
class ScopeExposure:
    """One scope: its instruments, running totals, and the times orders were sent."""

    symbols: dict[str, SymbolExposure] = field(default_factory=dict)
    abs_net: Decimal = ZERO
    working: Decimal = ZERO
    sent: deque[int] = field(default_factory=deque)

    @property
    def open_contracts(self) -> Decimal:
        """Sum of |net positions| plus working quantities."""
        return self.abs_net + self.working

    def symbol(self, symbol: str) -> SymbolExposure:
        found = self.symbols.get(symbol)
        if found is None:
            found = self.symbols[symbol] = SymbolExposure()
        return found

    def orders_in_window(self, now_ns: int) -> int:
        """Orders sent in the 60 s before ``now_ns``; older times are dropped."""
        sent, oldest = self.sent, now_ns - WINDOW_NS
        while sent and sent[0] <= oldest:
            sent.popleft()
        return len(sent)

    def move_net(self, book: SymbolExposure, delta: Decimal) -> None:
        old = book.net
        book.net = old + delta
        self.abs_net += abs(book.net) - abs(old)
