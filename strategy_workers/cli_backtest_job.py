"""``tickstream backtest-job``: a backtest job for the strategy workers, as the gateway sends
one (a ``RunBacktest`` on ``backtest.requests``); with ``--wait``, its answer.

A command of its own beside ``tickstream backtest`` (which runs a backtest in this process):
that one takes its options directly, and a subcommand under it would make them all
apply to the job too. Heavy imports wait until it runs.
"""

from __future__ import annotations

from typing import Annotated

import typer

from strategy_workers.cli_backtest import TIME_HELP

RequestsTopic = Annotated[
    str,
    typer.Option(
        "--topic",
        envvar="TICKSTREAM_STRATEGY_BACKTEST_REQUESTS_TOPIC",
        help="The topic the strategy workers read backtest jobs from.",
    ),
]
ResultsTopic = Annotated[
    str,
    typer.Option(
        envvar="TICKSTREAM_STRATEGY_BACKTEST_RESULTS_TOPIC",
        help="The topic the answers come on (--wait).",
    ),
]


def backtest_job(
    *,
    strategy_id: Annotated[str, typer.Option(help="The strategy's id.")],
    start: Annotated[str, typer.Option(help=f"From (inclusive). {TIME_HELP}.")],
    end: Annotated[str, typer.Option(help=f"Until (exclusive). {TIME_HELP}.")],
    version: Annotated[
        int | None, typer.Option(min=1, help="Its version (default: the newest).")
    ] = None,
    user: Annotated[
        str | None, typer.Option(help="The user asking (default: the strategy's owner).")
    ] = None,
    account: Annotated[
        str | None, typer.Option(help="The account (default: the strategy's).")
    ] = None,
    symbol: Annotated[
        list[str], typer.Option(help="A symbol, repeatable (default: the strategy's).")
    ] = [],  # noqa: B006
    timeframe: Annotated[str, typer.Option(help="Timeframe of the candles read.")] = "1m",
    param: Annotated[
        list[str], typer.Option(help="A parameter override, repeatable.", metavar="NAME=VALUE")
    ] = [],  # noqa: B006
    capital: Annotated[
        str | None, typer.Option(help="Starting cash (default: the version's).")
    ] = None,
    slippage_ticks: Annotated[int, typer.Option(min=0, help="Ticks against market fills.")] = 0,
    backtest_id: Annotated[
        str | None, typer.Option(help="The job's id (default: a new one).")
    ] = None,
    wait: Annotated[bool, typer.Option(help="Wait for the answer and print it.")] = False,
    timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds to wait for the answer (--wait).")
    ] = 600.0,
    topic: RequestsTopic = "backtest.requests",
    results_topic: ResultsTopic = "backtest.results",
) -> None:
    """Send a backtest job to the strategy workers (results stored in Postgres).

    Prints the job's id; with --wait, the figures of its BacktestCompleted answer, or its
    BacktestFailed error (exit code 1). Exit code 2 on bad input or a store not answering.
    """
    from strategy_workers import cli_backtest_job_run as run

    asked = run.Asked(
        strategy_id, version, user, account, symbol, timeframe, start, end, param, capital,
        slippage_ticks, backtest_id,
    )  # fmt: skip
    text, ok = run.send(asked, topic, results_topic, timeout if wait else None)
    typer.echo(text)
    if not ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``backtest-job`` to the ``tickstream`` command."""
    app.command("backtest-job")(backtest_job)
