"""Saved partition states: a restored state continues exactly where the saved one was."""

import dataclasses
from decimal import Decimal
from typing import Any

import pydantic_core
import pytest

from market_data_engine.domain.aggregator import Aggregator
from market_data_engine.domain.timeframes import DEFAULT_TIMEFRAMES
from market_data_engine.handlers import TRADE_DECODERS
from market_data_engine.pipeline.decoding import TradeDecoder
from market_data_engine.pipeline.partition import PartitionState
from market_data_engine.pipeline.snapshots import SnapshotError, decode_state, encode_state
from market_data_engine.pipeline.symbols import SymbolDirectory
from shared.instruments import InstrumentRegistry
from tests.unit.market_data_engine.pipeline.support import (
    MINUTE,
    REGISTRY,
    SECOND,
    random_trades,
    records,
)

SYMBOLS = SymbolDirectory(REGISTRY)
DECODER = TradeDecoder(TRADE_DECODERS, SYMBOLS)
GRACE = 2 * SECOND


def fed(trades: Any, live: bool = False) -> PartitionState:
    part = PartitionState(Aggregator(grace_ns=GRACE), [], base_ns=MINUTE, live=live)
    part.apply(records(trades), DECODER, [])
    return part


def restore(data: bytes, **changes: Any) -> PartitionState:
    options: dict[str, Any] = {
        "symbols": SYMBOLS,
        "timeframes": DEFAULT_TIMEFRAMES,
        "grace_ns": GRACE,
        "base_ns": MINUTE,
        "live": True,
    }
    return decode_state(data, **{**options, **changes})


def candles(part: PartitionState) -> list[Any]:
    return [candle for _, candle in part.take_closed()]


def test_a_restored_state_replays_the_rest_into_the_same_candles() -> None:
    trades = random_trades(500, symbols=("ESZ6", "NQZ6", "CLF7"), seed=9)
    whole = fed(trades, live=True)
    half = fed(trades[:240], live=True)
    emitted_before = candles(half)
    restored = restore(encode_state(half))
    assert restored.next_offset == 240
    assert restored.clock_ns == half.clock_ns
    restored.apply(records(trades[240:], first_offset=240), DECODER, [])
    assert emitted_before + candles(restored) == candles(whole)
    assert restored.aggregator.snapshot() == whole.aggregator.snapshot()


def test_the_saved_form_is_plain_json_with_the_offset_and_scales() -> None:
    saved = pydantic_core.from_json(encode_state(fed(random_trades(20))))
    assert saved["version"] == 1
    assert saved["offset"] == 20
    assert saved["scales"] == {"ESZ6": ["0.25", "1"], "NQZ6": ["0.25", "1"]}
    assert saved["aggregator"]["timeframes"] == list(DEFAULT_TIMEFRAMES)


def test_changed_timeframes_start_empty_at_the_saved_offset() -> None:
    restored = restore(encode_state(fed(random_trades(20))), timeframes=("1m", "1h"))
    assert restored.next_offset == 20
    assert [tf.name for tf in restored.aggregator.timeframes] == ["1m", "1h"]
    assert restored.specs == []


def test_the_grace_follows_the_settings() -> None:
    restored = restore(encode_state(fed(random_trades(20))), grace_ns=7)
    assert restored.aggregator.grace_ns == 7


def test_a_symbol_the_registry_no_longer_knows_is_an_error() -> None:
    data = encode_state(fed(random_trades(20)))
    with pytest.raises(SnapshotError, match="no longer known"):
        restore(data, symbols=SymbolDirectory(InstrumentRegistry()))


def test_a_changed_tick_size_is_an_error() -> None:
    registry = InstrumentRegistry.with_standard_futures()
    registry.register(
        dataclasses.replace(registry.get("ES"), tick_size=Decimal("0.5")), replace=True
    )
    data = encode_state(fed(random_trades(20)))
    with pytest.raises(SnapshotError, match="tick size"):
        restore(data, symbols=SymbolDirectory(registry))


def test_an_unknown_format_is_an_error() -> None:
    with pytest.raises(SnapshotError, match="format"):
        restore(b'{"version": 99}')
