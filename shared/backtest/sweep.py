"""Parameter sweeps: one backtest per combination of a grid, in parallel over the cores.

Each worker process receives the data once (when it starts) and then runs combinations
as they come, so a sweep costs the data's transfer once per core, not once per run.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from shared.backtest.bars import BarSeries
from shared.backtest.grid import Grid, combinations
from shared.backtest.options import BacktestOptions
from shared.backtest.run import run_backtest
from shared.instruments import InstrumentRegistry
from shared.stats import Statistics
from shared.strategy.catalog import build
from shared.strategy.definition import StrategyDefinition

LOWER_IS_BETTER = frozenset({"max_drawdown", "max_drawdown_pct", "max_drawdown_duration_ns"})


@dataclass(frozen=True, slots=True)
class SweepRun:
    """One combination's outcome: its statistics, or why it could not run."""

    parameters: dict[str, str]
    statistics: Statistics | None
    error: str | None = None


_WORK: dict[str, Any] = {}
"""The data and settings of the sweep this worker process serves (set once at its start)."""


def _start_worker(
    definition: StrategyDefinition,
    data: Sequence[BarSeries],
    options: BacktestOptions,
    instruments: InstrumentRegistry | None,
) -> None:
    _WORK.update(definition=definition, data=data, options=options, instruments=instruments)


def run_one(parameters: dict[str, str]) -> SweepRun:
    """One combination, in a worker: the definition's parameters with these on top."""
    definition: StrategyDefinition = _WORK["definition"]
    merged = {**definition.parameters, **parameters}
    try:
        result = run_backtest(
            dataclasses.replace(definition, parameters=merged),
            _WORK["data"],
            _WORK["options"],
            instruments=_WORK["instruments"],
        )
    except (ValueError, LookupError) as exc:  # a combination the strategy refuses
        return SweepRun(parameters, None, str(exc))
    return SweepRun(parameters, result.statistics)


def run_sweep(
    definition: StrategyDefinition,
    data: Sequence[BarSeries],
    grid: Grid,
    options: BacktestOptions | None = None,
    *,
    instruments: InstrumentRegistry | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[SweepRun]:
    """Every combination of ``grid`` over ``data``, on ``workers`` processes (default: one
    per core; 1 runs here, without processes). Results in grid order.

    A combination the strategy refuses (checked here first, e.g. fast >= slow) is reported
    failed without running; when it refuses them all, ValueError says why the first fails.
    """
    todo = combinations(grid)
    done = {
        i: SweepRun(p, None, error) for i, p in enumerate(todo) if (error := refusal(definition, p))
    }
    if todo and len(done) == len(todo):
        raise ValueError(f"sweep: no combination can run; the first: {done[0].error}")
    runnable = [i for i in range(len(todo)) if i not in done]
    args = (definition, data, options or BacktestOptions(), instruments)
    workers = max(1, min(workers or os.cpu_count() or 1, len(runnable)))

    def finished(i: int, run: SweepRun) -> None:
        done[i] = run
        if progress:
            progress(len(done), len(todo))

    if workers == 1:
        _start_worker(*args)
        for i in runnable:
            finished(i, run_one(todo[i]))
    else:
        with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=args) as pool:
            futures = {pool.submit(run_one, todo[i]): i for i in runnable}
            for future in as_completed(futures):
                finished(futures[future], future.result())
    return [done[i] for i in range(len(todo))]


def refusal(definition: StrategyDefinition, parameters: dict[str, str]) -> str | None:
    """Why the strategy refuses these parameters (on top of the definition's), if it does."""
    merged = {**definition.parameters, **parameters}
    try:
        build(dataclasses.replace(definition, parameters=merged))
    except ValueError as exc:
        return str(exc)
    return None


def rank(runs: Sequence[SweepRun], by: str) -> list[SweepRun]:
    """Best first by the statistic ``by`` (lowest first for drawdowns), then the runs
    without that figure, then the failed ones."""
    if by not in Statistics.__dataclass_fields__:
        known = ", ".join(Statistics.__dataclass_fields__)
        raise ValueError(f"unknown statistic {by!r}; known: {known}")
    sign = 1 if by in LOWER_IS_BETTER else -1

    def key(run: SweepRun) -> tuple[int, float]:
        if run.statistics is None:
            return (2, 0.0)
        value = getattr(run.statistics, by)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return (1, 0.0)
        return (0, sign * float(value))

    return sorted(runs, key=key)
