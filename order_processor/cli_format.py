"""Readable lines for order events, one an event."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from shared.messages.envelope import Payload
from shared.messages.schemas.order_events import (
    OrderAccepted,
    OrderCanceled,
    OrderExpired,
    OrderFilled,
    OrderModified,
    OrderRejected,
    OrderTriggered,
)

WIDTH = 10


def _num(value: Decimal | None) -> str:
    return "-" if value is None else format(value, "f")


def _prices(limit: Decimal | None, stop: Decimal | None) -> str:
    parts = ([f"limit {_num(limit)}"] if limit is not None else []) + (
        [f"stop {_num(stop)}"] if stop is not None else []
    )
    return " ".join(parts)


def _accepted(p: OrderAccepted) -> str:
    what = f"{p.side} {_num(p.quantity)} {p.symbol} {p.order_type} {p.time_in_force}"
    extra = [_prices(p.limit_price, p.stop_price)]
    if p.reduce_only:
        extra.append("reduce-only")
    if p.bracket is not None:
        tp, sl = p.bracket.take_profit_price, p.bracket.stop_loss_price
        extra.append(f"bracket take-profit {_num(tp)} stop-loss {_num(sl)}")
    if p.parent_order_id is not None:
        extra.append(f"bracket child of {p.parent_order_id}")
    details = "  ".join(e for e in extra if e)
    ids = f"order {p.order_id}  client_order_id {p.client_order_id}"
    return f"{what}  {details + '  ' if details else ''}{ids}"


def _filled(p: OrderFilled) -> str:
    return (
        f"{p.side} {_num(p.quantity)} {p.symbol} @ {_num(p.price)}  commission "
        f"{_num(p.commission)} {p.commission_currency}  filled {_num(p.cum_quantity)}, "
        f"leaves {_num(p.leaves_quantity)}  order {p.order_id}"
    )


def _rejected(p: OrderRejected) -> str:
    named = f"order {p.order_id}" if p.order_id else f"client_order_id {p.client_order_id}"
    return f"{p.reason}: {p.message}  ({p.command} of {named})"


def _closed(p: OrderCanceled | OrderExpired) -> str:
    why = f"  ({p.reason})" if isinstance(p, OrderCanceled) else ""
    note = f"  {p.message}" if p.message else ""
    return (
        f"{p.symbol} filled {_num(p.cum_quantity)}, left {_num(p.leaves_quantity)}{why}"
        f"{note}  order {p.order_id}"
    )


def _modified(p: OrderModified) -> str:
    prices = _prices(p.limit_price, p.stop_price)
    return (
        f"{p.symbol} quantity {_num(p.quantity)} (leaves {_num(p.leaves_quantity)})"
        f"{'  ' + prices if prices else ''}  order {p.order_id}"
    )


def _triggered(p: OrderTriggered) -> str:
    return f"{p.symbol} at {_num(p.trigger_price)}  order {p.order_id}"


FORMATS: dict[type[Payload], tuple[str, Callable[[Any], str]]] = {
    OrderAccepted: ("accepted", _accepted),
    OrderFilled: ("filled", _filled),
    OrderRejected: ("rejected", _rejected),
    OrderCanceled: ("canceled", _closed),
    OrderExpired: ("expired", _closed),
    OrderModified: ("modified", _modified),
    OrderTriggered: ("triggered", _triggered),
}


def event_line(payload: Payload) -> str:
    """One line saying what the event means."""
    found = FORMATS.get(type(payload))
    if found is None:
        return f"{payload.TYPE:<{WIDTH}} {payload.model_dump_json()}"
    label, render = found
    return f"{label:<{WIDTH}} {render(payload)}"
