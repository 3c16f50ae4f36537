"""Options, choices and exit codes shared by the ``tickstream account`` and ``order`` commands.

Only typer and the standard library are imported here, so ``tickstream --help`` stays quick.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from enum import IntEnum, StrEnum
from typing import Annotated

import typer


class Exit(IntEnum):
    """Exit codes of the order commands."""

    OK = 0
    REJECTED = 1
    """Refused: a rejection, a conflicting account, an order that ended unfilled."""
    UNAVAILABLE = 2
    """No answer in time, or a service that cannot be reached (and usage errors, as click)."""


class Side(StrEnum):
    """--side."""

    BUY = "buy"
    SELL = "sell"


class Kind(StrEnum):
    """--type."""

    MARKET = "market"
    LIMIT = "limit"
    STOP = "stop"
    STOP_LIMIT = "stop-limit"


class Tif(StrEnum):
    """--tif."""

    DAY = "day"
    GTC = "gtc"
    IOC = "ioc"
    FOK = "fok"


def parse_decimal(text: str | Decimal) -> Decimal:
    """A finite decimal from the command line, or a usage error."""
    if isinstance(text, Decimal):  # a default value
        return text
    try:
        value = Decimal(text.replace("_", ""))
    except InvalidOperation:
        raise typer.BadParameter(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise typer.BadParameter(f"{text!r} is not a finite number")
    return value


def parse_uuid(text: str | uuid.UUID) -> uuid.UUID:
    """A UUID from the command line, or a usage error."""
    if isinstance(text, uuid.UUID):  # a default value
        return text
    try:
        return uuid.UUID(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a UUID") from None


def fail(message: str, code: Exit) -> typer.Exit:
    """Print ``message`` to stderr and return the exit for the caller to raise."""
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(int(code))


AccountId = Annotated[
    uuid.UUID, typer.Option("--account", parser=parse_uuid, metavar="UUID", help="Account id.")
]
UserId = Annotated[
    uuid.UUID,
    typer.Option("--user", parser=parse_uuid, metavar="UUID", help="The account owner's id."),
]
LimitPrice = Annotated[
    Decimal | None,
    typer.Option("--limit", parser=parse_decimal, metavar="PRICE", help="Limit price."),
]
StopPrice = Annotated[
    Decimal | None,
    typer.Option("--stop", parser=parse_decimal, metavar="PRICE", help="Stop (trigger) price."),
]
Timeout = Annotated[
    float, typer.Option(min=0.1, help="Seconds to wait for the order processor's answer.")
]
Json = Annotated[
    bool, typer.Option("--json", help="Print each event (or the API's answer) as JSON.")
]
SymbolFilter = Annotated[
    str | None, typer.Option(help="Only this symbol, e.g. ESZ6.", show_default=False)
]
ApiUrl = Annotated[
    str | None,
    typer.Option(
        envvar="TICKSTREAM_ORDER_PROCESSOR_URL",
        help="The order processor's HTTP address (default: 127.0.0.1 and "
        "TICKSTREAM_ORDER_PROCESSOR_PORT).",
        show_default=False,
    ),
]
