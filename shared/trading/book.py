"""The order book of the paper exchange: every known order, and the working ones by symbol."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from shared.trading.orders import Order


class OrderBook:
    """Orders by id and by (account, client order id); working orders by symbol, in order."""

    __slots__ = ("_by_client", "_by_id", "_working")

    def __init__(self) -> None:
        self._by_id: dict[uuid.UUID, Order] = {}
        self._by_client: dict[tuple[uuid.UUID, str], Order] = {}
        self._working: dict[str, dict[uuid.UUID, Order]] = {}

    def add(self, order: Order) -> None:
        """Know an order (new or restored); a working one joins its symbol's queue."""
        self._by_id[order.order_id] = order
        self._by_client[(order.account_id, order.client_order_id)] = order
        if order.is_working:
            self._working.setdefault(order.symbol, {})[order.order_id] = order

    def join(self, order: Order) -> None:
        """A known order started working: it joins its symbol's queue (``add`` minus the
        id maps, which already hold it)."""
        queue = self._working.get(order.symbol)
        if queue is None:
            queue = self._working[order.symbol] = {}
        queue[order.order_id] = order

    def done(self, order: Order) -> None:
        """The order stopped working (filled, canceled, expired)."""
        queue = self._working.get(order.symbol)
        if queue is not None:
            queue.pop(order.order_id, None)

    def get(self, order_id: uuid.UUID) -> Order | None:
        return self._by_id.get(order_id)

    def by_client(self, account_id: uuid.UUID, client_order_id: str) -> Order | None:
        return self._by_client.get((account_id, client_order_id))

    def working(self, symbol: str) -> list[Order]:
        """A snapshot of the symbol's working orders, oldest first."""
        queue = self._working.get(symbol)
        return list(queue.values()) if queue else []

    def has_working(self, symbol: str) -> bool:
        """Whether the symbol has working orders (``working`` without the snapshot)."""
        return bool(self._working.get(symbol))

    def all_working(self) -> Iterator[Order]:
        for queue in self._working.values():
            yield from queue.values()

    def forget_done(self) -> int:
        """Drop orders no longer working from memory (they stay in the ledger); how many."""
        gone = [o for o in self._by_id.values() if not o.is_working]
        for order in gone:
            del self._by_id[order.order_id]
            self._by_client.pop((order.account_id, order.client_order_id), None)
        return len(gone)

    def __iter__(self) -> Iterator[Order]:
        """Every order known, working or not, oldest first."""
        return iter(list(self._by_id.values()))

    def __len__(self) -> int:
        return len(self._by_id)
