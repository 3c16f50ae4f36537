"""One backtest job's run, as a worker process does it: ``run_backtest`` over the loaded
candles, then what is stored and answered, or why it failed.

``compute`` is the function sent to the process pool (everything it takes and returns is
picklable). An exception raised through one of the strategy's own methods is the
strategy's error (``STRATEGY_ERROR``, with the callback and its text); bad data is
``NO_DATA``; anything else is ``INTERNAL``. Amounts and figures come back ready to store,
so only they, not the whole result, travel back from the worker process.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shared.backtest import BarSeries, DataError, run_backtest
from shared.backtest.jobs import completed, options_of
from shared.instruments import InstrumentRegistry
from shared.messages.schemas.backtest import BacktestCompleted, BacktestError, RunBacktest
from shared.strategy.base import Strategy
from shared.strategy.catalog import build
from shared.strategy.definition import StrategyDefinition
from strategy_workers.domain import backtests_report as report
from strategy_workers.domain.backtests import Refusal
from strategy_workers.domain.notices import failure_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """What a worker process needs for one backtest."""

    request: RunBacktest
    definition: StrategyDefinition
    """The version as it runs (overrides applied, on the requested symbols)."""
    data: Sequence[BarSeries]
    instruments: InstrumentRegistry
    equity_points: int = 2000


@dataclass(frozen=True)
class Computed:
    """A finished run: the answer (its times still to be set) and what is stored."""

    answer: BacktestCompleted
    summary: dict[str, Any]
    trades: list[dict[str, Any]]
    equity: dict[str, Any]


@dataclass(frozen=True)
class Broke:
    """A run that stopped with an error, after ``bars`` bars."""

    refusal: Refusal
    bars: int = 0


@dataclass
class _Progress:
    done: int = 0

    def __call__(self, done: int, total: int) -> None:
        self.done = done


def compute(job: Job) -> Computed | Broke:
    """Run ``job``'s backtest; its outcome (never raises for the strategy's or the data's
    sake)."""
    progress = _Progress()
    strategy: Strategy | None = None
    try:
        strategy = build(job.definition)
        result = run_backtest(
            job.definition,
            job.data,
            options_of(job.request),
            instruments=job.instruments,
            strategy=strategy,
            progress=progress,
        )
    except Exception as exc:  # becomes the job's answer; the worker goes on
        return Broke(classify(exc, strategy), progress.done)
    answer = completed(job.request, result, 0, 0)
    return Computed(
        answer,
        report.summary(result),
        report.trades(result),
        report.equity(result.equity, job.equity_points),
    )


def classify(exc: Exception, strategy: Strategy | None) -> Refusal:
    """Whose fault an exception of a run is, and the text the user sees."""
    where = callback_of(exc, strategy)
    if where is not None:
        return Refusal(BacktestError.STRATEGY_ERROR, failure_text(where, exc))
    if isinstance(exc, DataError):
        return Refusal(BacktestError.NO_DATA, str(exc))
    log.error("backtest %s failed", type(exc).__name__, exc_info=exc)
    return Refusal(BacktestError.INTERNAL, f"internal error: {type(exc).__name__}: {exc}")


def callback_of(exc: BaseException, strategy: Strategy | None) -> str | None:
    """The strategy method the exception came through (the outermost one), if any."""
    if strategy is None:
        return None
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_locals.get("self") is strategy:
            return frame.f_code.co_name
        tb = tb.tb_next
    return None
