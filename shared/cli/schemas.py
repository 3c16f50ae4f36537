"""``tickstream schemas``: list the message schemas, export them, write golden samples."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="schemas",
    help="Message schemas: list them, export JSON Schema and AsyncAPI, write golden samples.",
    no_args_is_help=True,
)

Directory = Annotated[Path, typer.Argument(help="Directory to write into (created if missing).")]


@app.command("list")
def list_schemas() -> None:
    """Print every topic with its key, partitions and message types and versions."""
    from shared.messages.registry import all_schemas
    from shared.messages.topics import TOPICS

    schemas = all_schemas()
    for topic in TOPICS:
        typer.echo(f"{topic.name}  key={topic.key_field}  partitions={topic.partitions}")
        for type_ in topic.message_types:
            for version in sorted(v for t, v in schemas if t == type_):
                typer.echo(f"    {type_} v{version}")


@app.command("export")
def export_schemas(directory: Directory) -> None:
    """Write asyncapi.json and one JSON Schema per message type and version."""
    from shared.messages.export import export

    paths = export(directory)
    typer.echo(f"wrote {len(paths)} files to {directory}")


@app.command("samples")
def write_samples(directory: Directory) -> None:
    """Write one golden JSON sample per message type and version (for the contract tests)."""
    from shared.messages.samples import write_goldens

    paths = write_goldens(directory)
    typer.echo(f"wrote {len(paths)} samples to {directory}")


if __name__ == "__main__":
    app()
