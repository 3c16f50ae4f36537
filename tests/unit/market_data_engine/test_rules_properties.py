"""Out-of-order trades and clock closes follow the candle rules on every timeframe at once.

The reference applies the rules to each timeframe separately and keeps every trade; the
aggregator builds wider candles from closed base candles, so agreement checks the roll-up.
"""

from __future__ import annotations

import json
from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from market_data_engine.domain.aggregator import Aggregator
from market_data_engine.domain.candles import Candle
from shared.instruments import CME_GLOBEX
from tests.unit.market_data_engine.reference import Event, Row, model_candles, row
from tests.unit.market_data_engine.streams import (
    MINUTE,
    PROPERTIES,
    SECOND,
    TIMEFRAME_SETS,
    event_streams,
)

GRACES = st.sampled_from([0, 2 * SECOND, 30 * SECOND, 5 * MINUTE])


def run(aggregator: Aggregator, events: list[Event]) -> int:
    index = aggregator.add_symbol("ES", CME_GLOBEX)
    late = 0
    for kind, ts, price, size in events:
        if kind == "clock":
            aggregator.advance(ts)
        else:
            late += aggregator.on_trade(index, ts, price, size)
    return late


def grouped(candles: list[Candle]) -> dict[str, list[Row]]:
    """Rows per timeframe, in emission order."""
    rows: dict[str, list[Row]] = defaultdict(list)
    for candle in candles:
        rows[candle.timeframe].append(row(candle))
    return rows


def closed_rows(aggregator: Aggregator) -> dict[str, list[Row]]:
    aggregator.flush()
    return grouped(aggregator.take_closed())


@PROPERTIES
@given(events=event_streams(), timeframes=st.sampled_from(TIMEFRAME_SETS), grace=GRACES)
def test_late_trades_and_clock_closes_follow_the_rules_on_every_timeframe(
    events, timeframes, grace
):
    aggregator = Aggregator(timeframes, grace_ns=grace)
    late = run(aggregator, events)
    candles = closed_rows(aggregator)
    counts = aggregator.late_counts()
    expected_late = 0
    for timeframe in timeframes:
        expected, late_here = model_candles(events, timeframe, grace)
        assert candles[timeframe] == expected, timeframe
        assert counts["ES", timeframe] == late_here, timeframe
        expected_late += late_here
    assert late == expected_late  # on_trade reports per trade what the counters sum up


@PROPERTIES
@given(
    events=event_streams(),
    timeframes=st.sampled_from(TIMEFRAME_SETS),
    grace=GRACES,
    cut=st.floats(0, 1),
)
def test_a_run_restored_from_a_snapshot_mid_stream_equals_an_uninterrupted_run(
    events, timeframes, grace, cut
):
    whole = Aggregator(timeframes, grace_ns=grace)
    run(whole, events)
    whole.flush()
    split = int(cut * len(events))
    first = Aggregator(timeframes, grace_ns=grace)
    run(first, events[:split])
    restored = Aggregator.from_snapshot(json.loads(json.dumps(first.snapshot())))
    run(restored, events[split:])
    restored.flush()
    assert restored.late_counts() == whole.late_counts()
    for timeframe in timeframes:
        assert restored.last_emitted(0, timeframe) == whole.last_emitted(0, timeframe)
    candles = first.take_closed() + restored.take_closed()
    assert grouped(candles) == grouped(whole.take_closed())


@PROPERTIES
@given(
    events=event_streams(),
    timeframes=st.sampled_from(TIMEFRAME_SETS),
    cuts=st.tuples(st.floats(0, 1), st.floats(0, 1)).map(sorted),
)
def test_a_replay_from_an_older_snapshot_neither_loses_nor_duplicates_candles(
    events, timeframes, cuts
):
    """Snapshot at one point, publish candles up to a later crash, replay from the snapshot."""
    snapshot_at, crash_at = (int(cut * len(events)) for cut in cuts)
    whole = Aggregator(timeframes)
    run(whole, events)
    whole.flush()
    live = Aggregator(timeframes)
    run(live, events[:snapshot_at])
    snapshot = json.loads(json.dumps(live.snapshot()))
    run(live, events[snapshot_at:crash_at])
    published = live.take_closed()
    restarted = Aggregator.from_snapshot(snapshot)
    index = restarted.index_of("ES")
    for candle in published:  # the newest open time per timeframe the outputs hold
        restarted.mark_published(index, candle.timeframe, candle.open_time)
    run(restarted, events[snapshot_at:])
    restarted.flush()
    candles = published + restarted.take_closed()
    assert grouped(candles) == grouped(whole.take_closed())
