"""What a batch leaves behind, gathered from the partition states it moved."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from market_data_engine.pipeline import metrics
from market_data_engine.pipeline.decoding import BadTrade
from market_data_engine.pipeline.outputs import LastTrade, Outputs
from market_data_engine.pipeline.partition import PartitionState

log = logging.getLogger(__name__)


def collect(
    states: Iterable[PartitionState],
    rejected: Sequence[tuple[object, BadTrade]],
    timeframes: Sequence[str],
) -> Outputs:
    """Closed candles, the forming ones of every touched symbol and timeframe, newest trades
    and dead letters; late trades are counted and logged on the way."""
    outputs = Outputs()
    outputs.dead_letters = [(record, bad.reason, bad.detail) for record, bad in rejected]
    for state in states:
        moved, touched = state.take_touched()
        for spec, candle in state.take_closed():
            outputs.bars.append(spec.scale.bar(candle))
            touched.add(state.index_of(spec.symbol))
        for index in sorted(touched):
            spec = state.specs[index]
            for timeframe in timeframes:
                forming = state.aggregator.forming(index, timeframe)
                bar = None if forming is None else spec.scale.bar(forming)
                outputs.forming.append((spec.symbol, timeframe, bar))
        for index, (ts, ticks, steps) in moved:
            spec = state.specs[index]
            price, size = ticks * spec.scale.tick_size, steps * spec.scale.size_step
            outputs.last_trades.append(LastTrade(spec.symbol, ts, price, size))
        for symbol, timeframe, count in state.take_late():
            metrics.LATE_TRADES.labels(symbol, timeframe).inc(count)
            log.warning("%d late trade(s) for %s %s not folded in", count, symbol, timeframe)
    return outputs
