"""Plain-text pieces of the `tickstream` command."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from shared.cli.main import app
from shared.cli.output import status_table, table
from shared.cli.stack_commands import tail_command
from shared.stack import ComponentStatus, Kind, State


def test_table_columns_line_up() -> None:
    text = table(("A", "LONG HEADER"), [("longer cell", "x"), ("b", "")])

    assert text.splitlines() == ["A            LONG HEADER", "longer cell  x", "b"]


def test_status_table_shows_state_pid_and_address() -> None:
    rows = [
        ComponentStatus("redis", Kind.INFRA, State.READY, "redis://127.0.0.1:6379/0", 42),
        ComponentStatus("api_gateway", Kind.SERVICE, State.STOPPED, "http://127.0.0.1:8000"),
    ]

    lines = status_table(rows).splitlines()

    assert lines[1].split() == ["redis", "ready", "42", "redis://127.0.0.1:6379/0"]
    assert lines[2].split() == ["api_gateway", "stopped", "-", "http://127.0.0.1:8000"]


def test_only_stopped_or_failing_components_count_as_not_ready() -> None:
    ready = {s for s in State if ComponentStatus("x", Kind.INFRA, s, "").ready}

    assert ready == {State.READY, State.EXTERNAL}


def test_logs_follow_uses_tail_with_retry_on_every_file() -> None:
    files = [Path("/s/logs/kafka.log"), Path("/s/logs/redis.log")]

    assert tail_command(files, lines=20, follow=True) == [
        "tail",
        "-n",
        "20",
        "-F",
        "/s/logs/kafka.log",
        "/s/logs/redis.log",
    ]
    assert "-F" not in tail_command(files, lines=20, follow=False)


def test_help_lists_the_stack_and_operations_commands() -> None:
    result = CliRunner().invoke(app, ["--help"])

    assert result.exit_code == 0
    for command in ("up", "down", "status", "logs", "migrate", "topics"):
        assert f"  {command} " in result.output
