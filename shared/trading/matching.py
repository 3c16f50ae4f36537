"""The paper exchange's fill rules: what one market point does to one working order.

``match`` is pure: it never changes the order. The caller books the fill (``record_fill``),
sets ``order.triggered`` when a stop triggered and ``order.fresh = False`` after the order's
first point, and applies the time in force (IOC/FOK: what the match left unfilled).
The rules (a buy is shown; a sell is the mirror image):

- Market: the point's price plus ``slippage_ticks`` against the order. An order working on
  bars first sees the next bar's open, so it fills there.
- Limit at L: marketable when the price trades through L (price < L), or touches it
  (price <= L) with ``LimitFill.TOUCH``. A fresh order (this is its first point: it arrived
  marketable) and any order at a bar's open beyond L (a gap: the bars show no trading in
  between) fill at the point's price, L or better. Otherwise it fills at L: a resting bid at L
  would have been hit at L before the market traded beyond it, whether the next trade jumped
  past L or a bar's path ran through it. A fresh
  order whose first point is a continuous segment that started on the far side of L fills at
  L for the same reason. Limits take no slippage.
- Stop at S: triggers when the price reaches S (price >= S), then is a market order. The
  triggering fill is S plus slippage on a continuous segment that crossed S (the market
  passed S); at a trade, a bar's open, or a segment already beyond S where it started, it is
  the point's price plus slippage.
- Stop-limit at S, L: triggers like a stop, then is a limit at L; the triggering point fills
  it at once if marketable: on a segment that crossed S, when the market at S is marketable
  for L (the segment then moved on through L), at L; elsewhere at the point's price (L or
  better). Once triggered it follows the limit rules.
- Prices stay on the tick grid: an off-grid market price is rounded against the order (a buy
  up, a sell down) before slippage, so a limit fill never passes L. Stop and limit prices are
  taken as given: they are checked against the grid when the order is accepted.
- Quantity: the order's leaves; with ``partial_fills`` at most the point's size, and a
  zero-size point fills nothing (it still triggers a stop). Without ``partial_fills`` sizes are
  ignored, so data without volume still fills.
- Nothing happens (None) to an order that is not working, has nothing left, or was already
  filled by the point's trade id.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from enum import StrEnum
from typing import NamedTuple

from shared.messages.schemas.common import OrderSide, OrderType
from shared.trading.bar_path import MarketPoint, bar_points
from shared.trading.orders import WORKING, Order

__all__ = ["FillConfig", "LimitFill", "MarketPoint", "Match", "bar_points", "match"]

ZERO = Decimal(0)
BUY = OrderSide.BUY
MARKET = OrderType.MARKET
LIMIT = OrderType.LIMIT
STOP = OrderType.STOP


class LimitFill(StrEnum):
    """When the market fills a limit: trading through it, or only touching it."""

    THROUGH = "THROUGH"
    TOUCH = "TOUCH"


TOUCH = LimitFill.TOUCH


@dataclass(frozen=True, slots=True)
class FillConfig:
    """How the paper exchange fills: slippage for market and stop fills, limit and size rules."""

    slippage_ticks: int = 0
    limit_fill: LimitFill = LimitFill.THROUGH
    partial_fills: bool = False


class Match(NamedTuple):
    """What a point did to an order: triggered its stop, and/or filled it (price None: no fill)."""

    triggered: bool
    price: Decimal | None
    quantity: Decimal


def match(
    order: Order, point: MarketPoint, prev_price: Decimal | None, tick: Decimal, config: FillConfig
) -> Match | None:
    """What ``point`` does to ``order``; ``prev_price`` is the price of the point before it."""
    if point.trade_id in order.trade_ids or order.status not in WORKING:
        return None
    quantity = order.quantity - order.filled_quantity
    if quantity <= ZERO:
        return None
    if config.partial_fills and point.size < quantity:
        quantity = point.size if point.size > ZERO else ZERO  # may still trigger a stop
    kind = order.order_type
    if kind is MARKET or (kind is STOP and order.triggered):
        if not quantity:
            return None
        return Match(False, _market_fill(point.price, order.side is BUY, tick, config), quantity)
    if kind is LIMIT or order.triggered:
        fill = _limit_fill(order, point, prev_price, tick, config.limit_fill is TOUCH)
        return None if fill is None or not quantity else Match(False, fill, quantity)
    stop = order.stop_price
    if stop is None:
        raise _missing(order, "stop")
    price = point.price
    if (price < stop) if order.side is BUY else (price > stop):
        return None
    fill = _triggered_fill(order, point, prev_price, tick, config) if quantity else None
    return Match(True, fill, ZERO if fill is None else quantity)


def _limit_fill(
    order: Order, point: MarketPoint, prev_price: Decimal | None, tick: Decimal, touch: bool
) -> Decimal | None:
    """The fill price of a limit order (or a triggered stop-limit) at ``point``, if any."""
    limit = order.limit_price
    if limit is None:
        raise _missing(order, "limit")
    buy = order.side is BUY
    if not _marketable(point.price, limit, buy, touch):
        return None
    if (not order.fresh and not point.opening) or (
        point.continuous
        and prev_price is not None
        and not _marketable(prev_price, limit, buy, touch)  # the segment crossed the limit
    ):
        return limit
    return _on_grid(point.price, tick, buy)


def _triggered_fill(
    order: Order, point: MarketPoint, prev_price: Decimal | None, tick: Decimal, config: FillConfig
) -> Decimal | None:
    """The fill price of a stop or stop-limit at the point that triggers it, if any."""
    stop = order.stop_price
    assert stop is not None  # checked by the caller
    buy = order.side is BUY
    crossed = (
        point.continuous
        and prev_price is not None
        and ((prev_price < stop) if buy else (prev_price > stop))
    )
    if order.order_type is STOP:
        if crossed:  # the market passed the stop on its way
            return _slipped(stop, buy, tick, config)
        return _market_fill(point.price, buy, tick, config)
    limit = order.limit_price
    if limit is None:
        raise _missing(order, "limit")
    touch = config.limit_fill is TOUCH
    if crossed:
        return limit if _marketable(stop, limit, buy, touch) else None
    return _on_grid(point.price, tick, buy) if _marketable(point.price, limit, buy, touch) else None


def _marketable(price: Decimal, limit: Decimal, buy: bool, touch: bool) -> bool:
    """Whether a limit at ``limit`` can trade at ``price``."""
    if buy:
        return price <= limit if touch else price < limit
    return price >= limit if touch else price > limit


def _on_grid(price: Decimal, tick: Decimal, buy: bool) -> Decimal:
    """``price`` on the tick grid, rounded against the order when it is off it."""
    if not price % tick:
        return price
    steps = (price / tick).to_integral_value(ROUND_CEILING if buy else ROUND_FLOOR)
    return steps * tick


def _market_fill(price: Decimal, buy: bool, tick: Decimal, config: FillConfig) -> Decimal:
    """A market price on the grid, then slipped against the order."""
    return _slipped(_on_grid(price, tick, buy), buy, tick, config)


def _slipped(price: Decimal, buy: bool, tick: Decimal, config: FillConfig) -> Decimal:
    """``price`` moved ``slippage_ticks`` against the order."""
    ticks = config.slippage_ticks
    if not ticks:
        return price
    return price + tick * ticks if buy else price - tick * ticks


def _missing(order: Order, name: str) -> ValueError:
    return ValueError(f"{order.order_type} order {order.order_id} has no {name} price")
