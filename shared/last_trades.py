"""The last trade of each symbol in Redis: written by the market data engine, read by others.

Key ``<prefix>:last:<symbol>``; value JSON ``{"price": "<decimal>", "size": "<decimal>",
"ts_event": <ns>}``. Declared here, once, because several services read it.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pydantic_core


def last_trade_key(symbol: str) -> tuple[str, str]:
    """Key parts (under the cache prefix) of the last trade of a symbol."""
    return ("last", symbol)


def encode_last_trade(price: Decimal, size: Decimal, ts_event: int) -> bytes:
    return pydantic_core.to_json({"price": price, "size": size, "ts_event": ts_event})


def decode_last_trade(raw: bytes | str) -> tuple[Decimal, int]:
    """(price, event time in ns) of a stored last trade."""
    value = json.loads(raw)
    return Decimal(str(value["price"])), int(value["ts_event"])
