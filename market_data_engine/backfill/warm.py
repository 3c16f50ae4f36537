"""Warming the Redis cache of newest candles from InfluxDB after a backfill.

For each symbol and timeframe the newest ``CACHE_DEPTH`` stored candles replace whatever
the cache holds in their time span (one member per open time, as the live writer keeps it),
in one transaction, and the set is trimmed. InfluxDB holds every candle the cache holds, so
the set stays complete from its oldest member on, which the candle query relies on.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from market_data_engine.adapters.candle_format import CACHE_DEPTH, closed_key, encode_cached, score
from market_data_engine.queries import CandleFormat, CandleRow, Catalog, InfluxCandles, Window
from shared.cache import Cache
from shared.messages.schemas.marketdata import Bar


def bar_of(symbol: str, timeframe: str, row: CandleRow) -> Bar:
    """A public candle row as a ``Bar``."""
    return Bar(
        symbol=symbol,
        timeframe=timeframe,
        open_time=row.open_time,
        close_time=row.close_time,
        open=Decimal(row.open),
        high=Decimal(row.high),
        low=Decimal(row.low),
        close=Decimal(row.close),
        volume=Decimal(row.volume),
        trade_count=row.trade_count,
        vwap=None if row.vwap is None else Decimal(row.vwap),
    )


async def warm_cache(
    cache: Cache,
    history: InfluxCandles,
    catalog: Catalog,
    series: Iterable[tuple[str, str]],
    depth: int = CACHE_DEPTH,
) -> int:
    """Cache the newest ``depth`` candles of each (symbol, timeframe); returns how many."""
    cached = 0
    for symbol, timeframe in sorted(series):
        rows = await history.read(symbol, timeframe, Window(None, None, depth))
        if not rows:
            continue
        fmt = CandleFormat.of(catalog.instrument(symbol))
        members = {
            encode_cached(bar_of(symbol, timeframe, fmt.stored(row))): score(row[0]) for row in rows
        }
        name = cache.key(*closed_key(symbol, timeframe))
        async with cache.client.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(name, score(rows[-1][0]), score(rows[0][0]))
            pipe.zadd(name, members)
            pipe.zremrangebyrank(name, 0, -depth - 1)
            await pipe.execute()
        cached += len(members)
    return cached
