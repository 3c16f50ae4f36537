"""One partition's state: trades folded in once, bad ones set aside, the log's clock."""

from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from market_data_engine.domain.aggregator import Aggregator
from market_data_engine.handlers import TRADE_DECODERS
from market_data_engine.pipeline.decoding import REASON_UNKNOWN_SYMBOL, BadTrade, TradeDecoder
from market_data_engine.pipeline.partition import PartitionState
from market_data_engine.pipeline.symbols import SymbolDirectory
from shared.messages import encode
from shared.messages.schemas.marketdata import Bar
from tests.unit.market_data_engine.pipeline.support import (
    MINUTE,
    REGISTRY,
    SECOND,
    START_NS,
    closed_reference,
    random_trades,
    record,
    records,
    trade,
)

DECODER = TradeDecoder(TRADE_DECODERS, SymbolDirectory(REGISTRY))
GRACE = 2 * SECOND


def state(live: bool = False) -> PartitionState:
    return PartitionState(Aggregator(grace_ns=GRACE), [], base_ns=MINUTE, live=live)


def closed(part: PartitionState) -> dict[tuple[str, str, int], Bar]:
    return {
        (c.symbol, c.timeframe, c.open_time): spec.scale.bar(c) for spec, c in part.take_closed()
    }


def apply(part: PartitionState, batch: list[Any]) -> list[tuple[Any, BadTrade]]:
    rejected: list[tuple[Any, BadTrade]] = []
    part.apply(batch, DECODER, rejected)
    return rejected


def test_trades_make_the_candles_of_the_batch_reference() -> None:
    trades = random_trades(600)
    part = state()
    assert not apply(part, records(trades))
    assert closed(part) == closed_reference(trades)
    assert part.next_offset == 600
    assert part.changed


def test_repeated_texts_take_the_fast_path_and_give_the_same_candles() -> None:
    trades = [
        trade("ESZ6", START_NS + n * 20 * SECOND, ("5000", "5000.25")[n % 2]) for n in range(40)
    ]
    part = state()
    apply(part, records(trades))
    assert set(part._known.symbols) == {b"ESZ6"}  # learned from the first trades
    assert closed(part) == closed_reference(trades)


def test_records_already_in_the_state_are_skipped() -> None:
    trades = random_trades(300, seed=3)
    once, twice = state(), state()
    apply(once, records(trades))
    apply(twice, records(trades[:200]))
    apply(twice, records(trades[100:], first_offset=100))  # redelivered from offset 100
    assert closed(twice) == closed(once)
    assert twice.next_offset == once.next_offset == 300


def test_bad_records_are_set_aside_and_the_good_ones_around_them_count() -> None:
    good = random_trades(50)
    batch = records(good[:25])
    batch.append(record(b"garbage", 25))
    batch.append(record(encode(trade("XXZ6", START_NS, "1")), 26))
    batch += records(good[25:], first_offset=27)
    part = state()
    rejected = apply(part, batch)
    assert [(r.offset, bad.reason) for r, bad in rejected] == [
        (25, "malformed"),
        (26, REASON_UNKNOWN_SYMBOL),
    ]
    assert part.next_offset == 52
    assert closed(part) == closed_reference(good)


def test_late_trades_are_counted_per_timeframe_and_not_folded_in() -> None:
    trades = [
        trade("ESZ6", START_NS + 10 * SECOND, "5000"),
        trade("ESZ6", START_NS + 70 * SECOND, "5001"),  # closes the first minute
        trade("ESZ6", START_NS + 20 * SECOND, "4000"),  # late for 1m only
    ]
    part = state()
    apply(part, records(trades))
    assert part.take_late() == [("ESZ6", "1m", 1)]
    assert part.take_late() == []
    [(_, first)] = part.take_closed()
    assert first.low == 20_000  # 5000 in ticks; the late 4000 is not in it


def test_the_newest_trade_per_symbol_goes_by_event_time() -> None:
    part = state()
    apply(part, records([trade("ESZ6", START_NS + 5, "5000"), trade("ESZ6", START_NS, "4999")]))
    [(index, (ts, ticks, steps))], touched = part.take_touched()
    assert (part.specs[index].symbol, ts, ticks, steps) == ("ESZ6", START_NS + 5, 20_000, 1)
    assert touched == {index}
    apply(part, records([trade("ESZ6", START_NS + 1, "4000")], first_offset=2))
    assert part.take_touched() == ([], {index})  # older than what was shown: only touched
    assert part.take_touched() == ([], set())


def test_in_live_mode_a_record_stamped_after_close_plus_grace_closes_the_candle() -> None:
    part = state(live=True)
    first = records([trade("ESZ6", START_NS + SECOND, "5000")])
    apply(part, first)
    assert part.take_closed() == []
    tick = record(encode(trade("NQZ6", START_NS + MINUTE, "18000")), 1)
    tick = replace(tick, timestamp=(START_NS + MINUTE + GRACE) // 1_000_000)
    apply(part, [tick])
    assert [(s.symbol, c.timeframe) for s, c in part.take_closed()] == [("ESZ6", "1m")]


def test_the_wall_clock_closes_due_candles_and_is_idle_within_a_base_interval() -> None:
    part = state(live=True)
    apply(part, records([trade("ESZ6", START_NS + SECOND, "5000")]))
    part.changed = False
    part.advance_to(START_NS + MINUTE)  # before end + grace
    assert part.take_closed() == []
    part.advance_to(START_NS + MINUTE + GRACE)
    assert [c.timeframe for _, c in part.take_closed()] == ["1m"]
    assert part.changed
    part.changed = False
    part.advance_to(START_NS + MINUTE + GRACE + 30 * SECOND)  # same base interval
    assert not part.changed


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.lists(st.integers(1, 120), min_size=1, max_size=8))
def test_live_candles_do_not_depend_on_how_records_are_batched(cuts: list[int]) -> None:
    trades = random_trades(250, seed=5, step_s=20)
    stream = [
        replace(r, timestamp=r.timestamp + (n % 7) * 1000)  # published a little after the trade
        for n, r in enumerate(records(trades))
    ]
    whole, pieces = state(live=True), state(live=True)
    apply(whole, stream)
    start = 0
    for cut in cuts:
        apply(pieces, stream[start : start + cut])
        start += cut
    apply(pieces, stream[start:])
    assert closed(pieces) == closed(whole)
    assert pieces.aggregator.snapshot() == whole.aggregator.snapshot()
