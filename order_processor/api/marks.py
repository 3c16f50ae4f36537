"""Last trade prices to mark open positions with, from the market data engine's Redis cache.

The engine keeps each symbol's last trade at ``<prefix>:last:<symbol>`` as JSON
``{"price": "<decimal>", "size": "<decimal>", "ts_event": <ns>}`` (its
``shared.last_trades`` defines the layout). A symbol without one, or Redis not
answering, leaves the position marked at its average entry: the answer says so in
``mark_source`` rather than failing the whole request over a mark.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from redis.exceptions import RedisError

from shared.cache import Cache
from shared.last_trades import decode_last_trade, last_trade_key
from shared.resources import NotStartedError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LastTrade:
    """A symbol's last traded price and when it traded."""

    price: Decimal
    ts_ns: int


class LastPrices(Protocol):
    """Where marks come from: the last trade of each symbol that has one."""

    async def get(self, symbols: Collection[str]) -> dict[str, LastTrade]: ...


class NoLastPrices:
    """No market data: every position is marked at its entry."""

    async def get(self, symbols: Collection[str]) -> dict[str, LastTrade]:
        return {}


class RedisLastPrices:
    """The last trades the market data engine caches in Redis, in one MGET."""

    def __init__(self, cache: Cache) -> None:
        self._cache = cache

    async def get(self, symbols: Collection[str]) -> dict[str, LastTrade]:
        wanted = sorted(set(symbols))
        if not wanted:
            return {}
        keys = [self._cache.key(*last_trade_key(symbol)) for symbol in wanted]
        try:
            values = await self._cache.client.mget(keys)
        except (RedisError, NotStartedError, OSError) as exc:
            log.warning("no last prices from Redis, marking at entry: %r", exc)
            return {}
        found: dict[str, LastTrade] = {}
        for symbol, raw in zip(wanted, values, strict=True):
            if raw is not None:
                found[symbol] = LastTrade(*decode_last_trade(raw))
        return found
