"""The bar loops: the hot path of a backtest.

Per bar, only what cannot be skipped: the strategy's ``on_bar`` (through the runner),
and the engine when orders work in the symbol. Everything else (marking positions,
equity) happens at fills or at the end. Progress is reported between
chunks of bars, so the inner loop carries no counter test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import islice

import numpy as np
import numpy.typing as npt

from shared.backtest.simulation import Simulation
from shared.strategy.candles import Candle

Progress = Callable[[int, int], None]
"""Called with (bars done, bars in all) now and then."""

CHUNK = 1 << 16


def single(
    sim: Simulation, candles: Iterator[Candle], total: int, fill_at_close: bool, progress: Progress
) -> None:
    """One symbol whose execution bars are the strategy's only candles."""
    state = sim.states[0]
    on_bar = sim.runner.on_bar
    k = -1
    for _ in range(0, total, CHUNK):
        for candle in islice(candles, CHUNK):
            k += 1
            if state.working:
                sim.step = state.bar = k
                sim.engine_bar(state, candle)
            emitted = on_bar(candle)
            if emitted:
                sim.step = state.bar = k
                sim.dispatch(emitted, candle[3])
                if fill_at_close and state.working:
                    sim.fill_at_close(state, candle)
        progress(k + 1, total)
    sim.step = state.bar = k


def merged(  # noqa: PLR0917 -- the plan of the run
    sim: Simulation,
    streams: Sequence[Iterator[Candle]],
    roles: Sequence[tuple[int, bool]],
    order: npt.NDArray[np.int64],
    fill_at_close: bool,
    progress: Progress,
) -> None:
    """Several streams in delivery order: ``order`` lists stream ids, ``roles[stream]`` is
    (symbol id of an execution stream or -1, delivered to the strategy)."""
    nexts = [stream.__next__ for stream in streams]
    states = sim.states
    on_bar = sim.runner.on_bar
    total = len(order)
    done = 0
    step = -1
    for start in range(0, total, CHUNK):
        for stream in order[start : start + CHUNK].tolist():
            candle = nexts[stream]()
            symbol_id, subscribed = roles[stream]
            if symbol_id >= 0:
                step += 1
                state = states[symbol_id]
                state.bar += 1
                if state.working:
                    sim.step = step
                    sim.engine_bar(state, candle)
            if subscribed:
                emitted = on_bar(candle)
                if emitted:
                    sim.step = step
                    sim.dispatch(emitted, candle[3])
                    if fill_at_close:
                        _fill_at_close(sim, candle)
        done = min(start + CHUNK, total)
        progress(done, total)
    sim.step = step


def _fill_at_close(sim: Simulation, candle: Candle) -> None:
    state = sim.by_name.get(candle[0])
    if state is not None and state.working:
        sim.fill_at_close(state, candle)
