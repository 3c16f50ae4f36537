"""The work behind ``tickstream backtest``: check the inputs, run, format the outcome."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from httpx import TransportError

from shared.backtest import BacktestOptions, BarSeries, run_backtest
from shared.backtest.grid import parse_grid
from shared.backtest.sweep import rank, run_sweep
from shared.strategy.definition import Sizing, StrategyDefinition
from shared.tsdb import InfluxError
from strategy_workers import cli_backtest_inputs as inputs
from strategy_workers import cli_backtest_output as output

EXPECTED = (ValueError, LookupError, OSError, InfluxError, TransportError)
"""Bad input or an unreachable store: a one-line error, not a traceback."""

ProgressFactory = Callable[[str], Callable[[int, int], None]]


@dataclass(frozen=True)
class Inputs:
    """The command line, as given."""

    strategy: str
    params: Sequence[str]
    rules: Path | None
    files: Sequence[Path]
    influx: bool
    symbol: str | None
    timeframe: str | None
    data_timeframe: str | None
    start: str | None
    end: str | None
    capital: str
    per_contract: str | None
    rate: str | None
    slippage_ticks: int
    fill: str
    open_trades: str
    quantity: int | None
    equity_fraction: str | None


@dataclass(frozen=True)
class Job:
    """A checked run: the strategy version, its candles and options."""

    definition: StrategyDefinition
    data: list[BarSeries]
    options: BacktestOptions
    currency: str


def prepare(given: Inputs) -> Job:
    """Check everything and load the candles; raises one of ``EXPECTED``."""
    capital = inputs.decimal("--capital", given.capital) or Decimal(0)
    if given.quantity is not None and given.equity_fraction is not None:
        raise ValueError("give --quantity or --equity-fraction, not both")
    fraction = inputs.decimal("--equity-fraction", given.equity_fraction)
    sizing = (
        Sizing("equity", fraction=fraction)
        if fraction is not None
        else Sizing("fixed", Decimal(given.quantity or 1))
    )
    options = inputs.options(
        capital, given.per_contract, given.rate, given.slippage_ticks, given.fill,
        given.open_trades,
    )  # fmt: skip
    source = inputs.Source(
        given.files, given.influx, given.symbol, given.timeframe, given.data_timeframe,
        given.start, given.end,
    )  # fmt: skip
    data = inputs.load(source)
    params = inputs.parse_params(given.params)
    definition = inputs.definition(
        given.strategy, params, given.rules, data, source, sizing, capital
    )
    from shared.instruments import InstrumentRegistry

    currency = (
        InstrumentRegistry.with_standard_futures().get(definition.subscriptions[0].symbol).currency
    )
    return Job(definition, data, options, currency)


def single(job: Job, out: Path | None, progress: ProgressFactory) -> str:
    """One backtest: the summary, and the files written."""
    started = time.perf_counter()
    result = run_backtest(job.definition, job.data, job.options, progress=progress("backtest"))
    seconds = time.perf_counter() - started
    text = output.summary(result, job.data, job.currency, seconds)
    if out is not None:
        written = output.write_results(out, result)
        text += "\n\nwrote " + ", ".join(str(p) for p in written)
    return text


def sweep(  # noqa: PLR0917 -- a sweep's options
    job: Job,
    specs: Sequence[str],
    rank_by: str,
    workers: int | None,
    top: int,
    out: Path | None,
    progress: ProgressFactory,
) -> str:
    """A parameter grid run in parallel, ranked by ``rank_by``."""
    grid = parse_grid(specs)
    rank([], rank_by)  # an unknown statistic is refused before the runs
    count = 1
    for values in grid.values():
        count *= len(values)
    runs = run_sweep(
        job.definition,
        job.data,
        grid,
        job.options,
        workers=workers,
        progress=progress(f"sweep of {count}"),
    )
    ranked = rank(runs, rank_by)
    text = output.sweep_table(ranked, rank_by, top)
    failed = sum(1 for r in runs if r.statistics is None)
    text += f"\n\n{len(runs)} runs ranked by {rank_by}" + (f", {failed} failed" if failed else "")
    if out is not None:
        text += f"\nwrote {output.write_sweep(out, ranked)}"
    return text
