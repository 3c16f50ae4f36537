"""``tickstream``: the command for users and operators of a Tickstream installation."""

from __future__ import annotations

import importlib
import importlib.util

import typer

from shared.cli import ops, stack_commands

app = typer.Typer(
    name="tickstream",
    help="Run and operate Tickstream: the local stack, migrations, topics and more.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"max_content_width": 100, "terminal_width": 100},
)
stack_commands.register(app)
ops.register(app)

# Command groups that live in their own modules, each exposing ``app: typer.Typer``. A
# module not written yet is left out; one that exists but fails to import is an error.
GROUPS: tuple[tuple[str, str], ...] = (("shared.cli.schemas", "schemas"),)

for module_name, group in GROUPS:
    if importlib.util.find_spec(module_name) is not None:
        app.add_typer(importlib.import_module(module_name).app, name=group)

# Top-level commands that live in other modules, each exposing ``register(app)``; left out
# and failing alike as GROUPS.
COMMANDS: tuple[str, ...] = (
    "market_data_engine.cli",
    "order_processor.cli",
    "strategy_workers.cli_strategies",
    "strategy_workers.cli_backtest",
)

for module_name in COMMANDS:
    if importlib.util.find_spec(module_name) is not None:
        importlib.import_module(module_name).register(app)


if __name__ == "__main__":
    app()
