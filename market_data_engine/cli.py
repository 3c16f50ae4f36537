"""``tickstream backfill`` and ``tickstream gaps``: the engine's commands (``register(app)``).

Both act on the configured stores (``TICKSTREAM_INFLUX_URL``, ``TICKSTREAM_INFLUX_DATABASE``,
``TICKSTREAM_REDIS_URL``). Heavy imports wait until a command runs, so ``tickstream --help``
stays quick.
"""

from __future__ import annotations

import asyncio
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


# Mirrors of backfill.spec.InputKind and feeds.replay_values.Ambiguous: importing those here
# would load pyarrow and the feeds for every ``tickstream`` command.
class Kind(StrEnum):
    """What the rows of a backfill file are."""

    TRADES = "trades"
    BARS_1M = "bars1m"


class Ambiguity(StrEnum):
    """Which instant a repeated local time means."""

    EARLIEST = "earliest"
    LATEST = "latest"
    RAISE = "raise"


TIME_HELP = "ISO 8601 with Z or an offset, a date (UTC) or epoch nanoseconds"
Database = Annotated[
    str | None,
    typer.Option(
        help="InfluxDB database (default: TICKSTREAM_INFLUX_DATABASE); backfill creates it.",
        show_default=False,
    ),
]


def backfill(
    *,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="CSV or Parquet files, in time order.", metavar="FILE", exists=True, dir_okay=False
        ),
    ],
    kind: Annotated[Kind, typer.Option(help="What the rows are.")] = Kind.TRADES,
    symbol: Annotated[
        str | None, typer.Option(help="Symbol of every row (else a symbol column).")
    ] = None,
    columns: Annotated[
        str, typer.Option(help="field=column,... e.g. ts=time,price=px,size=qty.")
    ] = "",
    time_format: Annotated[str, typer.Option(help="iso, s, ms, us, ns or a %-pattern.")] = "iso",
    tz: Annotated[str, typer.Option(help="Time zone of times written without one.")] = "UTC",
    ambiguous: Annotated[
        Ambiguity, typer.Option(help="The repeated hour when daylight saving ends.")
    ] = Ambiguity.EARLIEST,
    delimiter: Annotated[str, typer.Option(help="CSV field separator.")] = ",",
    bar_label: Annotated[
        str, typer.Option(help="Bars are stamped at their open or close.")
    ] = "open",
    timeframes: Annotated[
        str | None,
        typer.Option(
            help="e.g. 1m,5m,1d (default: TICKSTREAM_MARKETDATA_TIMEFRAMES).", show_default=False
        ),
    ] = None,
    chunk_rows: Annotated[
        int, typer.Option(min=1, help="Rows read and written at a time.")
    ] = 25_000,
    restart: Annotated[
        bool, typer.Option(help="Load again from the start, ignoring the checkpoint.")
    ] = False,
    warm_cache: Annotated[
        bool, typer.Option(help="Cache the newest candles in Redis afterwards.")
    ] = True,
    cache_prefix: Annotated[
        str, typer.Option(help="Redis key prefix of the engine's cache.")
    ] = "tickstream",
    database: Database = None,
) -> None:
    """Load historical trades or 1-minute bars into InfluxDB as candles of every timeframe.

    Resumable: a stopped run continues after its last written chunk when run again with the
    same files and options; a finished one does nothing (rewriting is harmless anyway).
    """
    expected = _expected(ValueError)  # FeedError, ValueError: bad input, unknown timeframe
    from market_data_engine.backfill.command import run_backfill
    from market_data_engine.backfill.spec import InputKind, InputSpec
    from market_data_engine.feeds.replay_values import Ambiguous

    try:
        spec = InputSpec(
            InputKind(kind.value), columns, time_format, tz, Ambiguous(ambiguous.value),
            symbol, delimiter, bar_label,
        )  # fmt: skip
    except ValueError as exc:
        raise _fail(str(exc)) from None
    names = (
        None if timeframes is None else tuple(t.strip() for t in timeframes.split(",") if t.strip())
    )
    try:
        report = asyncio.run(
            run_backfill(tuple(files), spec, names, chunk_rows=chunk_rows, restart=restart,
                         warm=warm_cache, cache_prefix=cache_prefix, database=database)
        )  # fmt: skip
    except expected as exc:
        raise _fail(str(exc)) from None
    typer.echo(report)


def gaps(
    *,
    symbol: Annotated[str, typer.Option(help="Instrument or contract symbol, e.g. ESZ6.")],
    timeframe: Annotated[str, typer.Option(help="A configured timeframe, e.g. 1m.")],
    start: Annotated[str | None, typer.Option(help=f"Default: end - 7 days. {TIME_HELP}.")] = None,
    end: Annotated[str | None, typer.Option(help=f"Exclusive; default: now. {TIME_HELP}.")] = None,
    database: Database = None,
) -> None:
    """List the intervals without a candle while the instrument's session was open."""
    expected = _expected(LookupError, ValueError)
    from market_data_engine.gaps.command import run_gaps

    try:
        typer.echo(asyncio.run(run_gaps(symbol, timeframe, start, end, database=database)))
    except expected as exc:
        raise _fail(str(exc)) from None


def _expected(*more: type[Exception]) -> tuple[type[Exception], ...]:
    """``more``, bad input files, and a store that cannot be reached or refuses a request."""
    from httpx import TransportError
    from redis.exceptions import ConnectionError as RedisConnectionError

    from market_data_engine.feeds.base import FeedError
    from shared.tsdb import InfluxError

    return (OSError, TransportError, RedisConnectionError, InfluxError, FeedError, *more)


def _fail(message: str) -> typer.Exit:
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``backfill`` and ``gaps`` to the ``tickstream`` command."""
    app.command()(backfill)
    app.command()(gaps)
