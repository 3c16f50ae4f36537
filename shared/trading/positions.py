"""The position book: every open position by account and instrument, moved by fills.

A position's life is 0 -> long or short -> 0 and it never flips: a fill that crosses zero
is split, its first part closing the position and the rest opening a new one with its own
id. Each fill yields the events to publish and the positions it touched, closed ones
included, so the caller can persist them. Positions are reproducible from the fill log.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from shared.messages.schemas.common import OrderSide, PositionSide
from shared.messages.schemas.positions import (
    PositionChanged,
    PositionClosed,
    PositionEvent,
    PositionOpened,
)
from shared.trading.events import Event
from shared.trading.fills import Fill
from shared.trading.ids import derive_id
from shared.trading.lots import ZERO, Lot, Position

__all__ = ["Lot", "Position", "PositionBook", "split_commission"]


def split_commission(commission: Decimal, part: Decimal, whole: Decimal) -> Decimal:
    """The share of ``commission`` due to ``part`` of ``whole``, in the commission's decimals.

    The other part gets ``commission`` minus this, so the two always sum exactly.
    """
    exponent = commission.as_tuple().exponent
    places = exponent if isinstance(exponent, int) and exponent < 0 else 0
    return (commission * part / whole).quantize(Decimal(1).scaleb(places))


class PositionBook:
    """Open positions keyed by (account, symbol), with an index by symbol for marks."""

    def __init__(self) -> None:
        self._accounts: dict[uuid.UUID, dict[str, Position]] = {}
        self._symbols: dict[str, dict[uuid.UUID, Position]] = {}

    def apply(self, fill: Fill, point_value: Decimal) -> tuple[list[Event], list[Position]]:
        """Book a fill: the events it causes and the positions it touched, in order."""
        qty = fill.quantity
        if qty <= 0:
            raise ValueError(f"fill {fill.fill_id} has quantity {qty}")
        held = self._accounts.get(fill.account_id)
        pos = held.get(fill.symbol) if held is not None else None
        if pos is None:
            pos = self._open(fill, qty, fill.commission, point_value)
            return [_event(PositionOpened, pos, fill.fill_id)], [pos]
        if pos.point_value != point_value or pos.currency != fill.currency:
            raise ValueError(f"fill {fill.fill_id} disagrees with position {pos.position_id}")
        if (fill.side == OrderSide.BUY) == (pos.sign > 0):
            pos.add(fill.fill_id, fill.ts_ns, fill.price, qty, fill.commission)
            return [_event(PositionChanged, pos, fill.fill_id)], [pos]
        if qty <= pos.quantity:
            pos.reduce(fill.fill_id, fill.ts_ns, fill.price, qty, fill.commission)
            if pos.quantity:
                return [_event(PositionChanged, pos, fill.fill_id)], [pos]
            self._remove(pos)
            return [_event(PositionClosed, pos, fill.fill_id)], [pos]
        closing = pos.quantity
        share = split_commission(fill.commission, closing, qty)
        pos.reduce(fill.fill_id, fill.ts_ns, fill.price, closing, share)
        self._remove(pos)
        new = self._open(fill, qty - closing, fill.commission - share, point_value)
        return [
            _event(PositionClosed, pos, fill.fill_id),
            _event(PositionOpened, new, fill.fill_id),
        ], [pos, new]

    def mark(self, symbol: str, price: Decimal) -> None:
        """A market price for ``symbol``: updates every open position's mark and excursions."""
        held = self._symbols.get(symbol)
        if held:
            for pos in held.values():
                pos.observe(price)

    def get(self, account_id: uuid.UUID, symbol: str) -> Position | None:
        """The open position, or None when flat."""
        held = self._accounts.get(account_id)
        return held.get(symbol) if held is not None else None

    def open_positions(self, account_id: uuid.UUID | None = None) -> list[Position]:
        """The open positions of one account, or of every account."""
        if account_id is not None:
            return list(self._accounts.get(account_id, {}).values())
        return [pos for held in self._accounts.values() for pos in held.values()]

    def net_quantity(self, account_id: uuid.UUID, symbol: str) -> Decimal:
        """The signed open size: positive long, negative short, zero flat."""
        pos = self.get(account_id, symbol)
        return pos.signed_quantity if pos is not None else ZERO

    def unrealized(self, account_id: uuid.UUID, prices: Mapping[str, Decimal]) -> Decimal:
        """An account's unrealized P&L; a symbol missing from ``prices`` uses its last mark."""
        total = ZERO
        for pos in self._accounts.get(account_id, {}).values():
            price = prices.get(pos.symbol, pos.last_mark)
            if price is None:
                raise KeyError(f"no price for {pos.symbol} and no mark yet")
            total += pos.unrealized_pnl(price)
        return total

    def restore(self, position: Position) -> None:
        """Put back an open position read from the database (on start, before any fill)."""
        if not position.is_open or position.quantity <= 0:
            raise ValueError(f"position {position.position_id} is not open")
        if sum((lot.quantity for lot in position.lots), ZERO) != position.quantity:
            raise ValueError(f"position {position.position_id}: lots do not sum to quantity")
        if self.get(position.account_id, position.symbol) is not None:
            raise ValueError(f"a position in {position.symbol} is already open for the account")
        self._insert(position)

    def __len__(self) -> int:
        return sum(len(held) for held in self._accounts.values())

    def _open(
        self, fill: Fill, qty: Decimal, commission: Decimal, point_value: Decimal
    ) -> Position:
        # Positional: keywords cost a third more here, on every opening fill.
        pos = Position(
            derive_id("position", fill.account_id, fill.symbol, fill.fill_id),  # position_id
            fill.account_id,
            fill.user_id,
            fill.symbol,
            PositionSide.LONG if fill.side == OrderSide.BUY else PositionSide.SHORT,
            fill.currency,
            point_value,
            fill.ts_ns,  # opened_ns
            fill.fill_id,  # last_fill_id
        )
        pos.add(fill.fill_id, fill.ts_ns, fill.price, qty, commission)
        self._insert(pos)
        return pos

    def _insert(self, pos: Position) -> None:
        # Emptied maps are kept: accounts and symbols come back, and re-making them costs.
        held = self._accounts.get(pos.account_id)
        if held is None:
            held = self._accounts[pos.account_id] = {}
        held[pos.symbol] = pos
        by_symbol = self._symbols.get(pos.symbol)
        if by_symbol is None:
            by_symbol = self._symbols[pos.symbol] = {}
        by_symbol[pos.account_id] = pos

    def _remove(self, pos: Position) -> None:
        del self._accounts[pos.account_id][pos.symbol]
        del self._symbols[pos.symbol][pos.account_id]


def _event(kind: type[PositionEvent], pos: Position, fill_id: uuid.UUID) -> Event:
    """The event's fields straight from the position (validated later, at the edge)."""
    fields: dict[str, Any] = {
        "account_id": pos.account_id,
        "user_id": pos.user_id,
        "position_id": pos.position_id,
        "symbol": pos.symbol,
        "side": pos.side,
        "fill_id": fill_id,
        "avg_entry_price": pos.entry_notional / pos.entry_quantity,
        "max_quantity": pos.max_quantity,
        "gross_pnl": pos.gross_pnl,
        "commissions": pos.commissions,
        "realized_pnl": pos.gross_pnl - pos.commissions,
        "currency": pos.currency,
        "opened_at": pos.opened_ns,
        "max_adverse_excursion": pos.mae,
        "max_favorable_excursion": pos.mfe,
    }
    if kind is PositionClosed:
        fields["closed_at"] = pos.closed_ns
    else:
        fields["quantity"] = pos.quantity
    if kind is not PositionOpened:
        fields["closed_quantity"] = pos.closed_quantity
        fields["avg_exit_price"] = pos.avg_exit_price
    return Event(kind, fields)
