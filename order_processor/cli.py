"""``tickstream account`` and ``tickstream order``: the order processor's commands.

``register(app)`` adds both groups to the ``tickstream`` command. ``account`` writes paper
accounts to Postgres; ``order`` sends commands through Kafka (``orders.commands``) and
waits for their answers on ``orders.events``, or reads the order processor's HTTP API.
"""

from __future__ import annotations

import typer

from order_processor import cli_accounts, cli_orders, cli_queries, cli_sweeps


def _group(help_text: str) -> typer.Typer:
    return typer.Typer(help=help_text, no_args_is_help=True, rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    """Add the ``account`` and ``order`` command groups."""
    account = _group("Paper accounts in the ledger (Postgres, TICKSTREAM_POSTGRES_DSN).")
    cli_accounts.register(account)
    order = _group(
        "Orders through the bus (Kafka, TICKSTREAM_KAFKA_BOOTSTRAP_SERVERS) and the order "
        "processor's API. Exit codes: 0 accepted or done, 1 rejected, 2 no answer in time or "
        "a service out of reach."
    )
    for module in (cli_orders, cli_sweeps, cli_queries):
        module.register(order)
    app.add_typer(account, name="account")
    app.add_typer(order, name="order")
