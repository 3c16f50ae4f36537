"""Range planning: what the cache answers and what is left for InfluxDB."""

from __future__ import annotations

import pytest

from market_data_engine.queries.plan import (
    CandleQuery,
    Window,
    forming_fits,
    history_window,
    score_bounds,
    source_of,
)

S = 1_000_000_000


def query(start: int | None = None, end: int | None = None, limit: int = 500) -> CandleQuery:
    return CandleQuery("ESZ6", "1m", start, end, limit, include_forming=True)


def test_cache_answers_alone_when_it_gives_as_many_candles_as_wanted() -> None:
    assert history_window(query(start=0), oldest_cached_ns=900 * S, cached=500, wanted=500) is None


def test_cache_answers_alone_when_the_range_starts_at_or_after_its_oldest_candle() -> None:
    assert history_window(query(start=900 * S), 900 * S, cached=3, wanted=500) is None
    assert history_window(query(start=901 * S), 900 * S, cached=3, wanted=500) is None


def test_older_part_of_the_range_comes_from_influxdb_for_the_missing_count() -> None:
    window = history_window(query(start=100 * S, end=2000 * S), 900 * S, cached=30, wanted=500)
    assert window == Window(100 * S, 900 * S - 1, 470)


def test_an_open_range_reaches_back_to_the_beginning_of_time() -> None:
    assert history_window(query(), 900 * S, cached=30, wanted=500) == Window(None, 900 * S - 1, 470)


def test_a_range_ending_before_the_cache_goes_wholly_to_influxdb() -> None:
    window = history_window(query(start=100 * S, end=200 * S), 900 * S, cached=0, wanted=500)
    assert window == Window(100 * S, 200 * S, 500)


def test_an_empty_cache_sends_the_whole_query_to_influxdb() -> None:
    window = history_window(query(start=100 * S, end=200 * S), None, cached=0, wanted=7)
    assert window == Window(100 * S, 200 * S, 7)


def test_scores_cover_open_times_in_whole_seconds_inside_the_range() -> None:
    assert score_bounds(query(start=10 * S + 1, end=20 * S + 999)) == (11, 20)
    assert score_bounds(query(start=10 * S, end=20 * S)) == (10, 20)
    assert score_bounds(query()) == ("-inf", "+inf")


def test_forming_candle_fits_when_asked_in_range_and_newer_than_the_closed_ones() -> None:
    q = query(start=0, end=100 * S)
    assert forming_fits(q, 60 * S, newest_closed_ns=0)
    assert forming_fits(q, 60 * S, newest_closed_ns=None)
    assert not forming_fits(q, 60 * S, newest_closed_ns=60 * S)  # stale: already closed
    assert not forming_fits(q, 120 * S, newest_closed_ns=0)  # after the range
    not_asked = CandleQuery("ESZ6", "1m", include_forming=False)
    assert not forming_fits(not_asked, 60 * S, None)


def test_source_names_where_the_candles_came_from() -> None:
    assert source_of(from_cache=True, from_history=False) == "cache"
    assert source_of(from_cache=False, from_history=False) == "cache"
    assert source_of(from_cache=False, from_history=True) == "influxdb"
    assert source_of(from_cache=True, from_history=True) == "mixed"


@pytest.mark.parametrize(
    ("start", "end", "limit", "message"),
    [(2, 1, 10, "start is after end"), (None, None, 0, "limit"), (None, None, 5001, "limit")],
)
def test_query_refuses_an_inverted_range_or_a_bad_limit(
    start: int | None, end: int | None, limit: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        CandleQuery("ESZ6", "1m", start, end, limit)
