"""``migrate`` and ``topics``: operations on the configured Postgres and Kafka.

They act on what the services use (TICKSTREAM_POSTGRES_DSN, TICKSTREAM_KAFKA_BOOTSTRAP_SERVERS),
which may be a production cluster, not only the local stack.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from shared.cli.output import table
from shared.messages.topics import all_topic_names
from shared.settings import CommonSettings
from shared.stack.migrations import apply_migrations
from shared.stack.topics import ensure_topics, list_topics


def migrate(
    dsn: Annotated[
        str | None,
        typer.Option(help="Postgres DSN (default: TICKSTREAM_POSTGRES_DSN).", show_default=False),
    ] = None,
) -> None:
    """Apply the pending Postgres migrations, in order; safe to run again."""
    target = dsn or CommonSettings().postgres_dsn.get_secret_value()
    applied = asyncio.run(apply_migrations(target))
    typer.echo("applied: " + ", ".join(applied) if applied else "database is up to date")


def topics(
    bootstrap_servers: Annotated[
        str | None,
        typer.Option(
            help="Kafka (default: TICKSTREAM_KAFKA_BOOTSTRAP_SERVERS).", show_default=False
        ),
    ] = None,
    create: Annotated[
        bool, typer.Option(help="Create the declared topics that are missing.")
    ] = True,
) -> None:
    """Create the Kafka topics declared in shared (and their DLQ twins), then list all."""
    servers = bootstrap_servers or CommonSettings().kafka_bootstrap_servers
    declared = dict(all_topic_names())

    async def run() -> tuple[list[str], list[tuple[str, int]]]:
        created = await ensure_topics(servers, list(declared.items())) if create else []
        return created, await list_topics(servers)

    created, existing = asyncio.run(run())
    rows = [
        (name, str(partitions), _note(name, partitions, declared, created))
        for name, partitions in existing
    ]
    typer.echo(table(("TOPIC", "PARTITIONS", ""), rows))


def _note(name: str, partitions: int, declared: dict[str, int], created: list[str]) -> str:
    if name in created:
        return "created"
    if name not in declared:
        return "not declared in shared"
    if declared[name] != partitions:
        return f"declared with {declared[name]} partitions"
    return ""


def register(app: typer.Typer) -> None:
    for command in (migrate, topics):
        app.command()(command)
