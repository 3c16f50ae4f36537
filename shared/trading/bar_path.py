"""Market points for the paper exchange: a trade is one point, a bar becomes a path of points.

A bar says where the market opened, how far it went each way and where it closed, not when.
``bar_points`` assumes the market went from the open to the nearer extreme first (the high on
a tie), then to the other extreme, then to the close, in straight lines. Every point after the
open is ``continuous``: the market moved there from the previous point through every price in
between, so an order resting on that segment was passed at its own price. The open is not:
the market may have jumped there from the previous bar's close.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class MarketPoint:
    """A price the market traded at, with the size traded there and the trade that made it.

    ``continuous`` is True when the market moved here continuously from the previous point
    (a bar's path after its open), passing every level in between. ``opening`` is True for a
    bar's open: the first price after a stretch the data does not show, so a gap.
    """

    price: Decimal
    size: Decimal
    trade_id: str
    ts_ns: int
    continuous: bool = False
    opening: bool = False


def bar_points(  # noqa: PLR0917 -- a bar's fields, in the order they are always written
    symbol: str,
    open_time_ns: int,
    close_time_ns: int,
    o: Decimal,
    h: Decimal,
    l: Decimal,  # noqa: E741 -- the bar's low, named like o, h and c
    c: Decimal,
    volume: Decimal,
) -> list[MarketPoint]:
    """The bar as up to four points: open, nearer extreme, farther extreme, close.

    A point repeating the previous price is dropped. The volume is split equally, in whole
    units where it is whole (the first points take the remainder), so the sizes add up to the
    volume. The open is at ``open_time_ns``, the last point at ``close_time_ns``, the others
    evenly in between. Trade ids are ``"{symbol}:bar:{open_time_ns}:{i}"``, ``i`` counting the
    points kept, so replaying a bar yields the same ids.
    """
    path = (h, l, c) if abs(h - o) <= abs(o - l) else (l, h, c)
    prices = [o]
    for price in path:
        if price != prices[-1]:
            prices.append(price)
    sizes = _split(volume, len(prices))
    last = len(prices) - 1
    span = close_time_ns - open_time_ns
    prefix = f"{symbol}:bar:{open_time_ns}:"
    return [
        MarketPoint(
            price,
            sizes[i],
            f"{prefix}{i}",
            open_time_ns + span * i // last if last else open_time_ns,
            i > 0,
            i == 0,
        )
        for i, price in enumerate(prices)
    ]


def _split(volume: Decimal, n: int) -> list[Decimal]:
    """``volume`` in ``n`` near-equal shares: whole units spread first, a fraction to the first."""
    if n == 1:
        return [volume]
    share, rest = divmod(volume, n)
    whole = int(rest)
    sizes = [share + 1 if i < whole else share for i in range(n)]
    if rest != whole:
        sizes[0] += rest - whole
    return sizes
