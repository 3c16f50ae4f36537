"""``tickstream backtest``: a strategy over historical candles, or a sweep of its parameters.

``register(app)`` adds the command. Heavy imports wait until it runs, so
``tickstream --help`` stays quick. Bad input (an unknown strategy, a bad parameter, an
unreadable or bad data file) prints one line and exits with code 2.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

TIME_HELP = "ISO 8601 with Z or an offset, a date (UTC) or epoch nanoseconds"


# Mirrors of shared.backtest.options.FillAt and OpenTrades: importing those here would load
# the trading core for every ``tickstream`` command.
class Fill(StrEnum):
    NEXT_OPEN = "next-open"
    CLOSE = "close"


class OpenTrades(StrEnum):
    CLOSE = "close"
    REPORT = "report"


def backtest(
    *,
    strategy: Annotated[str, typer.Option(help="builtin:<name> or rules.")],
    param: Annotated[
        list[str], typer.Option(help="A parameter, repeatable.", metavar="NAME=VALUE")
    ] = [],  # noqa: B006
    rules: Annotated[Path | None, typer.Option(help="Rule set (JSON) for 'rules'.")] = None,
    data: Annotated[
        list[Path], typer.Option(help="CSV or Parquet candles, repeatable.", metavar="FILE")
    ] = [],  # noqa: B006
    influx: Annotated[bool, typer.Option(help="Read the candles from InfluxDB.")] = False,
    symbol: Annotated[
        str | None, typer.Option(help="Symbol traded (default: the data's first).")
    ] = None,
    timeframe: Annotated[str | None, typer.Option(help="Timeframe the strategy trades on.")] = None,
    data_timeframe: Annotated[
        str | None,
        typer.Option(help="Timeframe of the candles loaded (default: inferred / --timeframe)."),
    ] = None,
    start: Annotated[str | None, typer.Option(help=f"InfluxDB: from. {TIME_HELP}.")] = None,
    end: Annotated[
        str | None, typer.Option(help=f"InfluxDB: until (exclusive). {TIME_HELP}.")
    ] = None,
    capital: Annotated[str, typer.Option(help="Starting cash.")] = "100000",
    commission_per_contract: Annotated[
        str | None, typer.Option(help="Per contract per side.")
    ] = None,
    commission_rate: Annotated[
        str | None, typer.Option(help="Of notional per side, e.g. 0.0001.")
    ] = None,
    slippage_ticks: Annotated[int, typer.Option(min=0, help="Ticks against market fills.")] = 0,
    fill: Annotated[Fill, typer.Option(help="When market orders fill.")] = Fill.NEXT_OPEN,
    open_trades: Annotated[
        OpenTrades, typer.Option(help="Trades open at the end.")
    ] = OpenTrades.CLOSE,
    quantity: Annotated[int | None, typer.Option(min=1, help="Fixed size (default 1).")] = None,
    equity_fraction: Annotated[
        str | None, typer.Option(help="Size as a fraction of equity.")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Directory for trades.csv, equity.csv.")] = None,
    sweep: Annotated[
        list[str],
        typer.Option(help="A grid axis, repeatable.", metavar="NAME=START:STOP:STEP|NAME=A,B,C"),
    ] = [],  # noqa: B006
    rank_by: Annotated[str, typer.Option(help="Statistic ranking a sweep.")] = "sharpe",
    workers: Annotated[
        int | None, typer.Option(min=1, help="Sweep processes (default: cores).")
    ] = None,
    top: Annotated[int, typer.Option(min=1, help="Sweep rows shown.")] = 20,
) -> None:
    """Backtest a strategy on CSV, Parquet or InfluxDB candles; --sweep for a parameter grid.

    Prints the statistics (or the ranked sweep) and, with --out, writes trades.csv and
    equity.csv (sweep.csv for a sweep). Exit code 2 on bad input.
    """
    from strategy_workers import cli_backtest_run as run

    try:
        job = run.prepare(
            run.Inputs(
                strategy, param, rules, data, influx, symbol, timeframe, data_timeframe, start,
                end, capital, commission_per_contract, commission_rate, slippage_ticks,
                fill.value, open_trades.value, quantity, equity_fraction,
            )
        )  # fmt: skip
        if sweep:
            text = run.sweep(job, sweep, rank_by, workers, top, out, _bar)
        else:
            text = run.single(job, out, _bar)
    except run.EXPECTED as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(2) from None
    typer.echo(text)


def _bar(label: str) -> Callable[[int, int], None]:
    """A progress callback drawing a bar on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        return lambda done, total: None
    bars: list[Any] = []
    shown = [0]

    def update(done: int, total: int) -> None:
        if not bars:  # made at the first report, which knows the total
            bars.append(typer.progressbar(length=total, label=label, file=sys.stderr))
            bars[0].__enter__()
        bars[0].update(done - shown[0])
        shown[0] = done
        if done >= total:
            bars[0].__exit__(None, None, None)

    return update


def register(app: typer.Typer) -> None:
    """Add ``backtest`` (and ``backtest-job``) to the ``tickstream`` command."""
    from strategy_workers import cli_backtest_job

    app.command()(backtest)
    cli_backtest_job.register(app)
