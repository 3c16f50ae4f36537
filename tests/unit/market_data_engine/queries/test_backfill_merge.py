"""Backfill candles: bars merged into wider timeframes and chunks stitched equal the core."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from market_data_engine.backfill.merge import Stitcher, merge_bars
from market_data_engine.domain.batch import CandleColumns, aggregate
from market_data_engine.domain.timeframes import DEFAULT_TIMEFRAMES
from shared.instruments import CME_GLOBEX
from tests.unit.market_data_engine.streams import PROPERTIES, in_order_trades

TIMEFRAMES = (*DEFAULT_TIMEFRAMES, "30m", "2h")


def rows(columns: CandleColumns) -> list[tuple[object, ...]]:
    return list(zip(*(c.tolist() for c in columns), strict=True))


def arrays(trades: tuple[list[int], list[int], list[int]]) -> tuple[np.ndarray, ...]:
    return tuple(np.array(column, dtype=np.int64) for column in trades)


@PROPERTIES
@given(in_order_trades())
def test_wider_candles_merged_from_1m_bars_equal_the_core_over_the_trades(
    trades: tuple[list[int], list[int], list[int]],
) -> None:
    ts, price, size = arrays(trades)
    direct = aggregate(ts, price, size, TIMEFRAMES, CME_GLOBEX)
    merged = merge_bars(direct["1m"], TIMEFRAMES, CME_GLOBEX)
    assert set(merged) == set(direct)
    for timeframe, columns in direct.items():
        assert rows(merged[timeframe]) == rows(columns), timeframe


@PROPERTIES
@given(in_order_trades(), st.lists(st.integers(1, 60), min_size=1, max_size=8), st.booleans())
def test_candles_of_chunks_stitched_equal_the_core_over_the_whole_input(
    trades: tuple[list[int], list[int], list[int]], cuts: list[int], restart: bool
) -> None:
    ts, price, size = arrays(trades)
    whole = aggregate(ts, price, size, DEFAULT_TIMEFRAMES, CME_GLOBEX)
    bounds = sorted({0, len(ts), *(min(c * 3, len(ts)) for c in cuts)})
    stitcher = Stitcher()
    out: dict[str, list[tuple[object, ...]]] = {tf: [] for tf in DEFAULT_TIMEFRAMES}
    for start, end in itertools.pairwise(bounds):
        part = aggregate(
            ts[start:end], price[start:end], size[start:end], DEFAULT_TIMEFRAMES, CME_GLOBEX
        )
        for timeframe, columns in part.items():
            out[timeframe] += rows(stitcher.take("ES", timeframe, columns))
        if restart:  # as after a stop: only the snapshot survives
            stitcher = Stitcher.restore(stitcher.snapshot())
    for _, timeframe, columns in stitcher.flush():
        out[timeframe] += rows(columns)
    for timeframe, columns in whole.items():
        assert out[timeframe] == rows(columns), timeframe


def test_a_stitcher_snapshot_keeps_a_missing_vwap_and_exact_integers() -> None:
    one = CandleColumns(*(np.array([v]) for v in (60, 120, 5, 6, 4, 5, 2**40, 3, float("nan"))))
    stitcher = Stitcher()
    stitcher.take("ES", "1m", one)
    restored = Stitcher.restore(stitcher.snapshot())
    (held,) = restored.flush()
    assert rows(held[2])[0][:8] == (60, 120, 5, 6, 4, 5, 2**40, 3)
    assert np.isnan(held[2].turnover[0])


def test_bars_of_the_same_candle_in_two_chunks_merge_into_one() -> None:
    def bar(ohlc: tuple[int, int, int, int], volume: int) -> CandleColumns:
        values = (0, 300, *ohlc, volume, 1, ohlc[0] * volume)
        return CandleColumns(*(np.array([x]) for x in values))

    stitcher = Stitcher()
    assert len(stitcher.take("ES", "5m", bar((10, 12, 9, 11), 2)).open_time) == 0
    assert len(stitcher.take("ES", "5m", bar((11, 15, 11, 14), 3)).open_time) == 0
    (_, _, merged) = stitcher.flush()[0]
    assert rows(merged) == [(0, 300, 10, 15, 9, 14, 5, 2, 10 * 2 + 11 * 3)]
