"""Plain-text output of the CLI: tables, errors, where to look."""

from __future__ import annotations

from collections.abc import Sequence

import typer

from shared.stack import SERVICES, ComponentStatus, Stack


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns two spaces apart, the header first."""
    everything = [header, *rows]
    widths = [max(len(row[i]) for row in everything) for i in range(len(header))]
    lines = ("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in everything)
    return "\n".join(line.rstrip() for line in lines)


def status_table(rows: Sequence[ComponentStatus]) -> str:
    return table(
        ("COMPONENT", "STATE", "PID", "ADDRESS", "DETAIL"),
        [(s.name, s.state.value, str(s.pid or "-"), s.url, s.detail) for s in rows],
    )


def where_to_look(stack: Stack, *, services: bool) -> str:
    """The addresses to print once the stack is up."""
    s = stack.settings
    rows: list[tuple[str, str]] = []
    if services:
        gateway = s.service_url("api_gateway")
        rows += [("Status page", f"{gateway}/"), ("API docs", f"{gateway}/docs")]
        rows += [(name, f"{s.service_url(name)}  /health /ready /metrics") for name in SERVICES]
        rows.append(
            ("Demo market", f"{s.demo_symbols}  metrics http://127.0.0.1:{s.demo_feed_port}")
        )
    rows += [
        ("Prometheus", s.prometheus_url),
        ("Kafka", s.kafka_bootstrap),
        ("Postgres", s.postgres_dsn),
        ("Redis", s.redis_url),
        ("InfluxDB", f"{s.influx_url}  database {s.database}"),
        ("Logs", str(stack.layout.logs)),
    ]
    return "\n".join(f"  {label:<20}{value}" for label, value in rows)


def fail(message: str) -> typer.Exit:
    """Print ``message`` to stderr and return the exit (code 1) for the caller to raise."""
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(1)
