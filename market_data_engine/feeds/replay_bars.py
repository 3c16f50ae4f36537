"""Bars replayed as the trades that make them: open, the extremes, close, inside the bar.

A replayed bar becomes up to four trades, at the open time and then evenly through the
interval: open, low, high, close when the bar closed up (open, high, low, close when down),
dropping a price that repeats the one before. Any aggregator fed these trades rebuilds the
bar's open, high, low, close and volume exactly, and every wider timeframe from it; the
bar's own trade count and VWAP are not carried (the count becomes the number of prices).
So replayed bars drive the same pipeline as trades: candles, strategies, paper fills.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from market_data_engine.feeds.base import FeedTrade

_FRACTION = Decimal("1e-9")


def check_bar(open_: Decimal, high: Decimal, low: Decimal, close: Decimal) -> None:
    """Raise ValueError naming the price that breaks low <= open, close <= high."""
    if high < max(open_, close):
        raise ValueError(f"high {high} is below the open or the close")
    if low > min(open_, close):
        raise ValueError(f"low {low} is above the open or the close")


def split_volume(volume: Decimal, parts: int) -> list[Decimal]:
    """``parts`` positive sizes summing exactly to ``volume``: whole numbers when it allows."""
    if volume == volume.to_integral_value() and volume >= parts:
        base, extra = divmod(int(volume), parts)
        return [Decimal(base + (1 if k < extra else 0)) for k in range(parts)]
    share = (volume / parts).quantize(_FRACTION, ROUND_DOWN)
    if share <= 0:
        raise ValueError(f"volume {volume} is too small to spread over {parts} prices")
    return [share] * (parts - 1) + [volume - share * (parts - 1)]


def bar_trades(
    symbol: str,
    open_ns: int,
    width_ns: int,
    prices: tuple[Decimal, Decimal, Decimal, Decimal],
    volume: Decimal,
) -> list[FeedTrade]:
    """The trades that replay one bar; ``prices`` are open, high, low, close."""
    open_, high, low, close = prices
    check_bar(open_, high, low, close)
    route = [open_, low, high, close] if close >= open_ else [open_, high, low, close]
    path = [route[0]]
    for price in route[1:]:
        if price != path[-1]:
            path.append(price)
    sizes = split_volume(volume, len(path))
    count = len(path)
    return [
        FeedTrade(symbol, open_ns + k * width_ns // count, price, size)
        for k, (price, size) in enumerate(zip(path, sizes, strict=True))
    ]
