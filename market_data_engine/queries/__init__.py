"""Candle queries: the newest candles of a range from the Redis cache, else InfluxDB."""

from market_data_engine.queries.catalog import Catalog, UnknownSymbol, UnknownTimeframe
from market_data_engine.queries.convert import CandleFormat, CandleRow
from market_data_engine.queries.plan import DEFAULT_LIMIT, MAX_LIMIT, CandleQuery, Window
from market_data_engine.queries.public import CandlePage, candle_json
from market_data_engine.queries.service import CandleQueries
from market_data_engine.queries.stores import CacheAnswer, InfluxCandles, RedisCandles
from shared.times import iso, parse_time

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "CacheAnswer",
    "CandleFormat",
    "CandlePage",
    "CandleQueries",
    "CandleQuery",
    "CandleRow",
    "Catalog",
    "InfluxCandles",
    "RedisCandles",
    "UnknownSymbol",
    "UnknownTimeframe",
    "Window",
    "candle_json",
    "iso",
    "parse_time",
]
