"""Reading candles from Redis and InfluxDB: one round trip each, in the ``candle_format`` layout."""

from __future__ import annotations

import json
from typing import Any, NamedTuple, Protocol

from market_data_engine.adapters.candle_format import MEASUREMENT, closed_key, forming_key
from market_data_engine.queries.convert import HISTORY_FIELDS
from market_data_engine.queries.plan import CandleQuery, Window, score_bounds
from shared.cache import Cache
from shared.settings import CommonSettings
from shared.tsdb import InfluxDB, quote_ident

Row = list[Any]


class CacheAnswer(NamedTuple):
    """What the cache holds for a query: its oldest member's open time, members, forming one.

    ``members`` are candles in the cached form (``candle_format.encode_cached``), newest
    first, at most the limit; ``forming`` likewise, when asked for and present.
    """

    oldest_open_ns: int | None
    members: list[bytes]
    forming: bytes | None = None


class CandleCache(Protocol):
    """The cached newest candles of each symbol and timeframe."""

    async def read(self, query: CandleQuery) -> CacheAnswer: ...


class CandleHistory(Protocol):
    """Every stored candle: InfluxDB rows (``time`` then ``HISTORY_FIELDS``), newest first."""

    async def read(self, symbol: str, timeframe: str, window: Window) -> list[Row]: ...


class RedisCandles:
    """``CandleCache`` over the engine's Redis keys: oldest, range and forming in one pipeline."""

    def __init__(self, cache: Cache) -> None:
        self._cache = cache

    async def read(self, query: CandleQuery) -> CacheAnswer:
        key = self._cache.key(*closed_key(query.symbol, query.timeframe))
        low, high = score_bounds(query)
        async with self._cache.client.pipeline(transaction=False) as pipe:
            pipe.zrange(key, 0, 0)
            pipe.zrevrangebyscore(key, high, low, start=0, num=query.limit)
            if query.include_forming:
                pipe.get(self._cache.key(*forming_key(query.symbol, query.timeframe)))
            answers = await pipe.execute()
        oldest = json.loads(answers[0][0])[0] if answers[0] else None
        return CacheAnswer(oldest, answers[1], answers[2] if query.include_forming else None)


def history_statement(symbol: str, timeframe: str, window: Window) -> tuple[str, dict[str, Any]]:
    """The InfluxQL (newest first) and its bound parameters for one window of candles."""
    fields = ",".join(map(quote_ident, HISTORY_FIELDS))
    where = ['"symbol" = $symbol', '"timeframe" = $timeframe']
    params: dict[str, Any] = {"symbol": symbol, "timeframe": timeframe}
    if window.start_ns is not None:
        where.append("time >= $start")
        params["start"] = window.start_ns
    if window.end_ns is not None:
        where.append("time <= $end")
        params["end"] = window.end_ns
    statement = (
        f"SELECT {fields} FROM {quote_ident(MEASUREMENT)} WHERE {' AND '.join(where)} "
        f"ORDER BY time DESC LIMIT {int(window.limit)}"
    )
    return statement, params


class InfluxCandles:
    """``CandleHistory`` over the ``candles`` measurement."""

    def __init__(self, influx: InfluxDB) -> None:
        self._influx = influx

    async def read(self, symbol: str, timeframe: str, window: Window) -> list[Row]:
        statement, params = history_statement(symbol, timeframe, window)
        series = await self._influx.query(statement, params=params)
        return series[0].values if series else []


def influx_for(settings: CommonSettings, database: str | None = None, **options: Any) -> InfluxDB:
    """The configured InfluxDB (credentials included), on ``database`` if given."""
    token, password = settings.influx_token, settings.influx_password
    return InfluxDB(
        settings.influx_url,
        database or settings.influx_database,
        token=token.get_secret_value() if token else None,
        username=settings.influx_username,
        password=password.get_secret_value() if password else None,
        **options,
    )
