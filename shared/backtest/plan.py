"""Which candles a backtest delivers, and in what order.

Each subscribed symbol executes on its finest loaded timeframe: those bars go to the
engine. Every subscription (symbol, timeframe) is delivered to the strategy from the
series loaded with that timeframe, else made from the execution bars. Candles are
delivered in order of close time; at equal close times finer timeframes first (so a
5-minute candle comes right after the 1-minute candle that closes it), then symbols in
subscription order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from shared.backtest.bars import BarSeries, DataError
from shared.backtest.timeframes import aggregate, width_ns
from shared.instruments import InstrumentRegistry
from shared.strategy.definition import Subscription


@dataclass(frozen=True, eq=False)
class Plan:
    """The streams of a run and their delivery order.

    ``symbols[i]`` executes on ``executions[i]``. ``streams`` are the series the loop walks;
    ``roles[s]`` is (the symbol id when stream ``s`` is an execution series else -1,
    whether the strategy receives it). ``order`` is None when there is a single stream.
    """

    symbols: tuple[str, ...]
    executions: tuple[BarSeries, ...]
    streams: tuple[BarSeries, ...]
    roles: tuple[tuple[int, bool], ...]
    order: npt.NDArray[np.int64] | None

    @property
    def bars(self) -> int:
        """Execution bars over all symbols."""
        return sum(len(s) for s in self.executions)

    @property
    def candles(self) -> int:
        """Candles the strategy receives."""
        return sum(len(s) for s, (_, sub) in zip(self.streams, self.roles, strict=True) if sub)


def plan(
    subscriptions: Sequence[Subscription],
    data: Sequence[BarSeries],
    instruments: InstrumentRegistry,
) -> Plan:
    """The plan for a strategy's subscriptions over the loaded series."""
    by_symbol: dict[str, dict[str, BarSeries]] = {}
    for bars in data:
        width_ns(bars.timeframe)
        if bars.timeframe in by_symbol.setdefault(bars.symbol, {}):
            raise DataError(f"{bars.symbol} {bars.timeframe} candles were given twice")
        by_symbol[bars.symbol][bars.timeframe] = bars
    symbols = tuple(dict.fromkeys(sub.symbol for sub in subscriptions))
    executions: list[BarSeries] = []
    for symbol in symbols:
        loaded = by_symbol.get(symbol)
        if not loaded:
            have = ", ".join(sorted(by_symbol)) or "none"
            raise DataError(f"no candles of {symbol} were loaded (symbols in the data: {have})")
        executions.append(min(loaded.values(), key=lambda s: width_ns(s.timeframe)))
    streams = list(executions)
    roles = [(i, False) for i in range(len(executions))]
    for sub in dict.fromkeys(subscriptions):
        symbol_id = symbols.index(sub.symbol)
        execution = executions[symbol_id]
        if sub.timeframe == execution.timeframe:
            roles[symbol_id] = (symbol_id, True)
            continue
        series = by_symbol[sub.symbol].get(sub.timeframe)
        if series is None:
            session = instruments.get(sub.symbol).session
            try:
                series = aggregate(execution, sub.timeframe, session)
            except ValueError as exc:
                raise DataError(f"{sub.symbol}: {exc}") from None
        streams.append(series)
        roles.append((-1, True))
    order = None if len(streams) == 1 else delivery_order(streams)
    return Plan(symbols, tuple(executions), tuple(streams), tuple(roles), order)


def delivery_order(streams: Sequence[BarSeries]) -> npt.NDArray[np.int64]:
    """Stream ids, one per candle, sorted by (close time, timeframe width, stream)."""
    closes = np.concatenate([s.close_time for s in streams])
    widths = np.concatenate([np.full(len(s), width_ns(s.timeframe)) for s in streams])
    ids = np.concatenate([np.full(len(s), i) for i, s in enumerate(streams)])
    # lexsort is stable and sorts by the last key first; ids keep each stream in its order.
    return np.asarray(ids[np.lexsort((ids, widths, closes))], dtype=np.int64)
