"""The candle query over fake stores: cache when it covers, InfluxDB for the rest, forming last."""

from __future__ import annotations

import json

import pytest

from market_data_engine.queries import CandleQueries, CandleQuery, Catalog
from market_data_engine.queries.catalog import UnknownSymbol, UnknownTimeframe
from market_data_engine.queries.plan import Window
from shared.instruments import InstrumentRegistry
from shared.times import iso
from tests.unit.market_data_engine.queries.fakes import FakeCandleCache, FakeCandleHistory
from tests.unit.market_data_engine.queries.support import MINUTE, T0, bar, bars


def setup(
    stored: int, cached: int, *, depth: int = 2000
) -> tuple[CandleQueries, FakeCandleCache, FakeCandleHistory]:
    """``stored`` candles in InfluxDB, the newest ``cached`` of them also in the cache."""
    cache, history = FakeCandleCache(depth), FakeCandleHistory()
    candles = bars(stored)
    history.add(*candles)
    if cached:
        cache.add(*candles[-cached:])
    catalog = Catalog(InstrumentRegistry.with_standard_futures())
    return CandleQueries(cache, history, catalog), cache, history


def opens(page_candles: list[str]) -> list[str]:
    return [json.loads(c)["open_time"] for c in page_candles]


def minutes(*indexes: int) -> list[str]:
    return [iso(T0 + i * MINUTE) for i in indexes]


async def test_newest_candles_come_from_the_cache_oldest_first() -> None:
    queries, _, history = setup(stored=100, cached=50)
    page = await queries.page(CandleQuery("ESZ6", "1m", limit=3))
    assert opens(page.candles) == minutes(97, 98, 99)
    assert page.source == "cache"
    assert history.windows == []


async def test_a_range_inside_the_cache_is_served_by_it_even_when_short() -> None:
    queries, _, history = setup(stored=100, cached=50)
    page = await queries.page(CandleQuery("ESZ6", "1m", T0 + 60 * MINUTE, T0 + 62 * MINUTE))
    assert opens(page.candles) == minutes(60, 61, 62)
    assert page.source == "cache"
    assert history.windows == []


async def test_candles_older_than_the_cache_come_from_influxdb() -> None:
    queries, _, _ = setup(stored=100, cached=50)
    page = await queries.page(CandleQuery("ESZ6", "1m", T0, T0 + 10 * MINUTE))
    assert opens(page.candles) == minutes(*range(11))
    assert page.source == "influxdb"


async def test_a_range_across_the_cache_edge_is_mixed_and_asks_influxdb_only_for_the_rest() -> None:
    queries, _, history = setup(stored=100, cached=50)
    page = await queries.page(CandleQuery("ESZ6", "1m", T0 + 40 * MINUTE, T0 + 59 * MINUTE))
    assert opens(page.candles) == minutes(*range(40, 60))
    assert page.source == "mixed"
    assert history.windows == [Window(T0 + 40 * MINUTE, T0 + 50 * MINUTE - 1, 500 - 10)]


async def test_a_limit_larger_than_the_cache_tops_up_from_influxdb() -> None:
    queries, _, _ = setup(stored=100, cached=50)
    page = await queries.page(CandleQuery("ESZ6", "1m", limit=80))
    assert opens(page.candles) == minutes(*range(20, 100))
    assert page.source == "mixed"


async def test_an_empty_cache_sends_everything_to_influxdb() -> None:
    queries, _, _ = setup(stored=10, cached=0)
    page = await queries.page(CandleQuery("ESZ6", "1m", limit=4))
    assert opens(page.candles) == minutes(6, 7, 8, 9)
    assert page.source == "influxdb"


async def test_the_forming_candle_comes_last_and_counts_toward_the_limit() -> None:
    queries, cache, _ = setup(stored=10, cached=10)
    cache.set_forming(bar(T0 + 10 * MINUTE, prices=("1.00", "2.00", "1.00", "2.00"), vwap="1.5"))
    page = await queries.page(CandleQuery("ESZ6", "1m", limit=3, include_forming=True))
    assert opens(page.candles) == minutes(8, 9, 10)
    assert [json.loads(c)["forming"] for c in page.candles] == [False, False, True]
    assert json.loads(page.candles[-1])["high"] == "2.00"


async def test_the_forming_candle_is_left_out_unless_asked_for() -> None:
    queries, cache, _ = setup(stored=10, cached=10)
    cache.set_forming(bar(T0 + 10 * MINUTE))
    page = await queries.page(CandleQuery("ESZ6", "1m", limit=3))
    assert opens(page.candles) == minutes(7, 8, 9)


async def test_a_stale_forming_candle_that_already_closed_is_left_out() -> None:
    queries, cache, _ = setup(stored=10, cached=10)
    cache.set_forming(bar(T0 + 9 * MINUTE))
    page = await queries.page(CandleQuery("ESZ6", "1m", limit=3, include_forming=True))
    assert opens(page.candles) == minutes(7, 8, 9)
    assert page.source == "cache"


async def test_a_forming_candle_after_influxdb_candles_makes_the_answer_mixed() -> None:
    queries, cache, _ = setup(stored=10, cached=0)
    cache.set_forming(bar(T0 + 10 * MINUTE))
    page = await queries.page(CandleQuery("ESZ6", "1m", limit=2, include_forming=True))
    assert opens(page.candles) == minutes(9, 10)
    assert page.source == "mixed"


async def test_a_repeated_query_gives_the_same_answer() -> None:
    queries, _, _ = setup(stored=30, cached=30)
    first = await queries.page(CandleQuery("ESZ6", "1m", limit=20))
    second = await queries.page(CandleQuery("ESZ6", "1m", limit=20))
    assert first.to_json() == second.to_json()
    assert json.loads(first.to_json())["count"] == 20


async def test_unknown_symbols_and_timeframes_are_refused_before_any_read() -> None:
    queries, cache, _ = setup(stored=1, cached=1)
    with pytest.raises(UnknownSymbol, match="ZZZ"):
        await queries.page(CandleQuery("ZZZ", "1m"))
    with pytest.raises(UnknownTimeframe, match="1m, 5m, 15m, 1h, 4h, 1d"):
        await queries.page(CandleQuery("ESZ6", "2m"))
    assert cache.reads == 0
