"""The equity curve of a run, built at the end from the recorder's step functions."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from shared.backtest.bars import BarSeries, Floats
from shared.backtest.plan import Plan
from shared.backtest.recorder import Recorder
from shared.backtest.results import EquityCurve


def timeline(plan: Plan) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(symbol id, close time) of each execution bar, in the order the run took them."""
    executions = plan.executions
    if plan.order is None:
        only = executions[0]
        return np.zeros(len(only), dtype=np.int64), only.close_time
    roles = np.array([role[0] for role in plan.roles], dtype=np.int64)
    symbol_of = roles[np.asarray(plan.order, dtype=np.int64)]
    symbol_of = symbol_of[symbol_of >= 0]
    times = np.empty(len(symbol_of), dtype=np.int64)
    for symbol_id, bars in enumerate(executions):
        times[symbol_of == symbol_id] = bars.close_time
    return symbol_of, times


def equity_curve(plan: Plan, recorder: Recorder, capital: Decimal) -> EquityCurve:
    """Equity at each execution bar's close; one point per distinct close time."""
    symbol_of, times = timeline(plan)
    n = len(times)
    values = np.full(n, float(capital))
    in_market = np.zeros(n, dtype=bool)
    for symbol_id, bars in enumerate(plan.executions):
        a = _steps(n, recorder.steps[symbol_id], recorder.a[symbol_id])
        b = _steps(n, recorder.steps[symbol_id], recorder.b[symbol_id])
        held = b != 0
        values += a + np.where(held, b * _last_close(symbol_of, symbol_id, bars), 0.0)
        in_market |= held
    last_of_time = np.flatnonzero(np.r_[times[1:] != times[:-1], True]) if n else np.arange(0)
    return EquityCurve(times[last_of_time], values[last_of_time], in_market[last_of_time])


def _steps(n: int, steps: Sequence[int], values: Sequence[float]) -> Floats:
    """A step function over ``n`` steps: 0 before the first change, then the last value."""
    if not steps:
        return np.zeros(n)
    at = np.searchsorted(np.asarray(steps), np.arange(n), "right") - 1
    table = np.concatenate(([0.0], np.asarray(values, dtype=np.float64)))
    return np.asarray(table[at + 1], dtype=np.float64)


def _last_close(symbol_of: npt.NDArray[np.int64], symbol_id: int, bars: BarSeries) -> Floats:
    """The symbol's latest close at each step (NaN before its first bar)."""
    mine = symbol_of == symbol_id
    if mine.all():
        return bars.close
    index = np.where(mine, np.cumsum(mine) - 1, -1)
    index = np.maximum.accumulate(index)
    table = np.concatenate(([np.nan], bars.close))
    return np.asarray(table[index + 1], dtype=np.float64)
