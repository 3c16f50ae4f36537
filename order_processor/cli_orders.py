"""``tickstream order submit``, ``cancel`` and ``modify``: commands through the bus.

Each publishes one command to ``orders.commands`` and prints the events on ``orders.events``
that answer it. Exit codes: 0 accepted, 1 rejected, 2 no answer in time or Kafka out of
reach. The bus modules are imported when a command runs, so ``tickstream --help`` stays quick.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

import typer

from order_processor.cli_options import (
    AccountId,
    Json,
    Kind,
    LimitPrice,
    Side,
    StopPrice,
    Tif,
    Timeout,
    UserId,
    parse_decimal,
    parse_uuid,
)

OrderIdOpt = Annotated[
    uuid.UUID | None,
    typer.Option(
        "--order-id", parser=parse_uuid, metavar="UUID", help="The order's id.", show_default=False
    ),
]
ClientOrderIdOpt = Annotated[
    str | None,
    typer.Option(help="The client order id the order was submitted with.", show_default=False),
]


def submit(
    *,
    account: AccountId,
    user: UserId,
    symbol: Annotated[str, typer.Option(help="Instrument, e.g. ESZ6.")],
    side: Annotated[Side, typer.Option(case_sensitive=False, help="Buy or sell.")],
    kind: Annotated[
        Kind, typer.Option("--type", case_sensitive=False, help="How the order is worked.")
    ],
    qty: Annotated[Decimal, typer.Option(parser=parse_decimal, metavar="QTY", help="Contracts.")],
    limit: LimitPrice = None,
    stop: StopPrice = None,
    tif: Annotated[Tif, typer.Option(case_sensitive=False, help="Time in force.")] = Tif.DAY,
    reduce_only: Annotated[bool, typer.Option(help="Only ever shrink the position.")] = False,
    take_profit: Annotated[
        Decimal | None,
        typer.Option(parser=parse_decimal, metavar="PRICE", help="Bracket: take-profit limit."),
    ] = None,
    stop_loss: Annotated[
        Decimal | None,
        typer.Option(parser=parse_decimal, metavar="PRICE", help="Bracket: stop-loss stop."),
    ] = None,
    client_order_id: Annotated[
        str | None,
        typer.Option(help="Your id for the order, unique per account (default: generated)."),
    ] = None,
    wait_fill: Annotated[
        bool, typer.Option(help="After acceptance, print the fills until the order is done.")
    ] = False,
    timeout: Timeout = 10.0,
    json: Json = False,
) -> None:
    """Submit an order and print the answer (and, with --wait-fill, the fills).

    --limit goes with limit and stop-limit orders, --stop with stop and stop-limit;
    --take-profit and --stop-loss make a bracket. A repeated --client-order-id answers
    with the original order. With --wait-fill, exit 1 also when the order is canceled
    or expires before it fills completely, and 2 when it still works at the timeout.
    """
    from order_processor.cli_build import submit_order
    from order_processor.cli_session import exchange, finish

    payload = submit_order(
        account=account, user=user, symbol=symbol, side=side, kind=kind, qty=qty, limit=limit,
        stop=stop, tif=tif, reduce_only=reduce_only, take_profit=take_profit,
        stop_loss=stop_loss, client_order_id=client_order_id,
    )  # fmt: skip
    conversation = exchange(payload, timeout_s=timeout, follow=wait_fill, as_json=json)
    if conversation.repeated and not json:
        typer.echo("(this client order id was submitted before: that order's answer)")
    finish(conversation, timeout, as_json=json)


def cancel(
    *,
    account: AccountId,
    user: UserId,
    order_id: OrderIdOpt = None,
    client_order_id: ClientOrderIdOpt = None,
    reason: Annotated[str, typer.Option(help="A note kept with the cancel.")] = "",
    timeout: Timeout = 10.0,
    json: Json = False,
) -> None:
    """Cancel a working order, named by --order-id or --client-order-id."""
    from order_processor.cli_build import cancel_order
    from order_processor.cli_session import exchange, finish

    payload = cancel_order(
        account=account, user=user, order_id=order_id, client_order_id=client_order_id,
        reason=reason,
    )  # fmt: skip
    finish(exchange(payload, timeout_s=timeout, as_json=json), timeout, as_json=json)


def modify(
    *,
    account: AccountId,
    user: UserId,
    order_id: OrderIdOpt = None,
    client_order_id: ClientOrderIdOpt = None,
    qty: Annotated[
        Decimal | None,
        typer.Option(parser=parse_decimal, metavar="QTY", help="New total quantity."),
    ] = None,
    limit: LimitPrice = None,
    stop: StopPrice = None,
    timeout: Timeout = 10.0,
    json: Json = False,
) -> None:
    """Change a working order's quantity or prices; what is not given stays."""
    from order_processor.cli_build import modify_order
    from order_processor.cli_session import exchange, finish

    payload = modify_order(
        account=account, user=user, order_id=order_id, client_order_id=client_order_id,
        qty=qty, limit=limit, stop=stop,
    )  # fmt: skip
    finish(exchange(payload, timeout_s=timeout, as_json=json), timeout, as_json=json)


def register(app: typer.Typer) -> None:
    """Add ``submit``, ``cancel`` and ``modify`` to the ``order`` group."""
    for command in (submit, cancel, modify):
        app.command()(command)
