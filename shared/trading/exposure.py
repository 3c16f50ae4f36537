"""What each risk scope holds and has working: the bookkeeping pre-trade risk reads.

A scope is ``(account_id, strategy_id)``; ``(account_id, None)`` is the whole account. An
order counts in its account scope and, when it has a strategy, in its strategy scope too.

Working quantities count only orders that are not reduce-only: a reduce-only order can
only shrink a position, so it adds no exposure. Each tracked order's leaves are kept here,
so ``on_fill``/``on_done`` are safe whatever the order object says, and a repeated
``on_done`` changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from shared.trading.orders import Order
from shared.trading.scope_exposure import (
    WINDOW_NS,
    Scope,
    ScopeExposure,
    SymbolExposure,
    scopes_of,
)

__all__ = ["WINDOW_NS", "Exposure", "Scope", "ScopeExposure", "SymbolExposure", "scopes_of"]
ZERO = Decimal(0)


@dataclass(slots=True)
class _Tracked:
    sign: int
    leaves: Decimal
    books: tuple[tuple[ScopeExposure, SymbolExposure], ...]


class Exposure:
    """Positions, working orders and order times per scope, kept by the engine's callbacks."""

    def __init__(self) -> None:
        self._scopes: dict[Scope, ScopeExposure] = {}
        self._orders: dict[uuid.UUID, _Tracked] = {}

    def scope(self, scope: Scope) -> ScopeExposure:
        """The scope's exposure (an empty one is created on first use)."""
        found = self._scopes.get(scope)
        if found is None:
            found = self._scopes[scope] = ScopeExposure()
        return found

    def find(self, scope: Scope) -> ScopeExposure | None:
        """The scope's exposure, or None if it never held or worked anything."""
        return self._scopes.get(scope)

    def net(self, scope: Scope, symbol: str) -> Decimal:
        """Signed net position of a scope in a symbol."""
        found = self._scopes.get(scope)
        book = found.symbols.get(symbol) if found is not None else None
        return book.net if book is not None else ZERO

    def _books(self, order: Order) -> tuple[tuple[ScopeExposure, SymbolExposure], ...]:
        scopes = [self.scope(s) for s in scopes_of(order.account_id, order.strategy_id)]
        return tuple((s, s.symbol(order.symbol)) for s in scopes)

    def on_accept(self, order: Order) -> None:
        """An order started working: its leaves count as working (unless reduce-only).

        Also rebuilds a working order after a restart: it counts its leaves, not its quantity.
        """
        if order.reduce_only or order.order_id in self._orders:
            return
        tracked = _Tracked(order.sign, order.leaves_quantity, self._books(order))
        self._orders[order.order_id] = tracked
        self._add_working(tracked, tracked.leaves)

    def on_fill(self, order: Order, quantity: Decimal) -> None:
        """A fill of ``quantity``: working shrinks, the signed net position moves."""
        tracked = self._orders.get(order.order_id)
        if tracked is None:
            books = self._books(order)
        else:
            books = tracked.books
            done = min(quantity, tracked.leaves)
            tracked.leaves -= done
            self._add_working(tracked, -done)
            if not tracked.leaves:
                del self._orders[order.order_id]
        delta = quantity if order.sign > 0 else -quantity
        for scope, book in books:
            scope.move_net(book, delta)

    def on_modify(self, order: Order) -> None:
        """The order's quantity changed: working follows its new leaves."""
        tracked = self._orders.get(order.order_id)
        if tracked is not None:
            self._add_working(tracked, order.leaves_quantity - tracked.leaves)
            tracked.leaves = order.leaves_quantity

    def on_done(self, order: Order) -> None:
        """The order stopped working unfilled (cancel, expiry, reject): drop its leaves."""
        tracked = self._orders.pop(order.order_id, None)
        if tracked is not None:
            self._add_working(tracked, -tracked.leaves)

    def on_order_sent(self, scope: Scope, ts_ns: int) -> None:
        """Count an order in the scope's rate window (call it for each scope of the order)."""
        self.scope(scope).sent.append(ts_ns)

    def orders_in_window(self, scope: Scope, now_ns: int) -> int:
        """Orders the scope sent in the 60 s before ``now_ns``."""
        found = self._scopes.get(scope)
        return found.orders_in_window(now_ns) if found is not None else 0

    def restore_position(self, scope: Scope, symbol: str, net: Decimal) -> None:
        """Set a scope's net position (rebuilding after a restart)."""
        exposure = self.scope(scope)
        book = exposure.symbol(symbol)
        exposure.move_net(book, net - book.net)

    def restore_orders(self, orders: Iterable[Order]) -> None:
        """Count the working orders among ``orders`` (rebuilding after a restart)."""
        for order in orders:
            if order.is_working:
                self.on_accept(order)

    def _add_working(self, tracked: _Tracked, delta: Decimal) -> None:
        for scope, book in tracked.books:
            scope.working += delta
            if tracked.sign > 0:
                book.buy += delta
            else:
                book.sell += delta
