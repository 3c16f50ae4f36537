"""A strategy's book rebuilt from the ledger when its runner is made again.

The book is filled from the strategy's fills (each once, by fill id) and its working
orders; the strategy's callbacks are not called (its ``on_start`` has not run yet, and
old fills are not news). Orders the ledger already knows are remembered: when a replayed
bar makes the strategy ask for one of them again (same client order id, which the order
processor answers with the first outcome), the book keeps the ledger's state of it
instead of counting it as a new order on its way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from shared.messages.schemas.common import OrderSide
from shared.messages.schemas.order_events import OrderFilled
from shared.messages.schemas.orders import SubmitOrder
from shared.strategy.book import Pending
from shared.strategy.runner import Emitted, StrategyRunner

WorkingOrder = tuple[str, str, Decimal, bool, bool]
"""An order of the strategy still working in the ledger: (client_order_id, symbol, signed
leaves quantity, is a market order, reduce-only)."""


def restore_book(
    runner: StrategyRunner, fills: Iterable[OrderFilled], working: Iterable[WorkingOrder]
) -> set[str]:
    """Fill ``runner``'s book; the client order ids the ledger knows."""
    book = runner.ctx.book
    instruments = runner.ctx.instruments
    known: set[str] = set()
    for fill in fills:
        signed = fill.quantity if fill.side is OrderSide.BUY else -fill.quantity
        point_value = instruments.get(fill.symbol).point_value
        book.filled(
            fill.fill_id,
            fill.client_order_id,
            fill.symbol,
            signed,
            fill.price,
            fill.commission,
            point_value,
            fill.leaves_quantity == 0,
        )
        known.add(fill.client_order_id)
    for client_order_id, symbol, signed_leaves, market, reduce_only in working:
        book.sent(client_order_id, Pending(symbol, signed_leaves, market, reduce_only))
        known.add(client_order_id)
    return known


def settle_resent(
    runner: StrategyRunner,
    known: set[str],
    before: dict[str, Pending],
    emitted: Sequence[Emitted],
) -> None:
    """Orders asked for again that the ledger knew: their state in the book goes back to
    what it was before the callback (``before``: the book's pending orders then)."""
    pending = runner.ctx.book.pending
    for _, payload in emitted:
        if isinstance(payload, SubmitOrder) and payload.client_order_id in known:
            earlier = before.get(payload.client_order_id)
            if earlier is None:
                pending.pop(payload.client_order_id, None)
            else:
                pending[payload.client_order_id] = earlier
