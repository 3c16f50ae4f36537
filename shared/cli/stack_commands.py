"""``up``, ``down``, ``status``, ``logs`` and ``env``: the local stack from the command line."""

from __future__ import annotations

import asyncio
import logging
import os
import shlex
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from shared.cli.output import fail, status_table, where_to_look
from shared.stack import ALL_NAMES, SERVICES, Stack, StackError
from shared.stack.demo import demo_lines, ensure_demo

Names = Annotated[
    list[str] | None,
    typer.Argument(
        help=f"Components (default: all): {', '.join(ALL_NAMES)}.",
        metavar="COMPONENT",
        show_default=False,
    ),
]
InfraOnly = Annotated[
    bool, typer.Option("--infra-only", help="Only Kafka, Postgres, Redis, InfluxDB, Prometheus.")
]


def load_stack() -> Stack:
    """The stack configured by ``TICKSTREAM_*``; a bad setting is a clear error."""
    # Waiting for Kafka means failed connection attempts, which aiokafka logs as errors.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    try:
        return Stack()
    except ValidationError as exc:
        raise fail(f"invalid TICKSTREAM_* setting:\n{exc}") from exc


def up(names: Names = None, infra_only: InfraOnly = False) -> None:
    """Start the local stack: Kafka, Postgres, Redis, InfluxDB, Prometheus, then the services.

    Starts only what is not running yet, waits until each part really answers, creates
    the Kafka topics and the databases and applies the migrations. Before starting
    anything it checks every port. Ports and the data folder come from TICKSTREAM_*
    variables: TICKSTREAM_STACK_DIR, TICKSTREAM_KAFKA_PORT, TICKSTREAM_POSTGRES_PORT,
    TICKSTREAM_REDIS_PORT, TICKSTREAM_INFLUX_PORT, TICKSTREAM_PROMETHEUS_PORT,
    TICKSTREAM_<SERVICE>_PORT and others.
    """
    stack = load_stack()
    try:
        report = asyncio.run(stack.up(names, infra_only=infra_only, progress=typer.echo))
        demo = ensure_demo(stack.settings, names, progress=typer.echo)
    except StackError as exc:
        raise fail(str(exc)) from exc
    changed = bool(report.started or report.created or (demo and demo.created))
    typer.echo(f"\nTickstream stack {'up' if changed else 'already up, nothing changed'}:")
    services = not infra_only and (names is None or bool(set(names) & set(SERVICES)))
    typer.echo(where_to_look(stack, services=services))
    if demo is not None:
        typer.echo(demo_lines(demo, stack.settings, services=services))


def down(names: Names = None) -> None:
    """Stop what `tickstream up` started (services first); leaves other programs alone."""
    stack = load_stack()
    try:
        stopped = asyncio.run(stack.down(names))
    except StackError as exc:
        raise fail(str(exc)) from exc
    typer.echo(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")


def status(names: Names = None, infra_only: InfraOnly = False) -> None:
    """Show each component and service; exit 1 unless every one is ready."""
    stack = load_stack()
    try:
        rows = asyncio.run(stack.status(names, infra_only=infra_only))
    except StackError as exc:
        raise fail(str(exc)) from exc
    typer.echo(status_table(rows))
    if not all(row.ready for row in rows):
        raise typer.Exit(1)


def logs(
    name: Annotated[
        str | None, typer.Argument(help="One component (default: all).", metavar="COMPONENT")
    ] = None,
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Keep printing new lines.")
    ] = False,
    lines: Annotated[int, typer.Option("--lines", "-n", help="Lines to show from each log.")] = 50,
) -> None:
    """Show the logs of the local stack (kept in <stack>/logs/<name>.log)."""
    stack = load_stack()
    if name is not None and name not in ALL_NAMES:
        raise fail(f"unknown component {name}; one of {', '.join(ALL_NAMES)}")
    files = sorted(stack.layout.logs.glob("*.log")) if name is None else [stack.layout.log(name)]
    files = [f for f in files if f.exists()]
    if not files:
        raise fail(f"no logs in {stack.layout.logs}" + (f" for {name}" if name else ""))
    os.execvp("tail", tail_command(files, lines=lines, follow=follow))


def tail_command(files: list[Path], *, lines: int, follow: bool) -> list[str]:
    """The ``tail`` command line that shows (and maybe follows) the given logs."""
    return ["tail", "-n", str(lines), *(["-F"] if follow else []), *map(str, files)]


def env() -> None:
    """Print `export` lines that point a shell (services, tests) at the local stack."""
    stack = load_stack()
    for key, value in stack.settings.service_env().items():
        typer.echo(f"export {key}={shlex.quote(value)}")


def register(app: typer.Typer) -> None:
    for command in (up, down, status, logs, env):
        app.command()(command)
