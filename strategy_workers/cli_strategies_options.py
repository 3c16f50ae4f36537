"""Options of ``tickstream strategy`` and their parsing into store arguments.

Malformed input is reported as one line on stderr with exit code 2 (``fail``), not as
click's usage block. Only typer and the standard library are imported at the top, so
``tickstream --help`` stays quick.
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from shared.strategy.definition import Sizing

ERROR = 2
"""The exit code of every refused command."""


def fail(message: str) -> typer.Exit:
    """Print ``message`` on stderr; the exit (code 2) for the caller to raise."""
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(ERROR)


def as_uuid(text: str | None, what: str) -> uuid.UUID | None:
    """A UUID from the command line (None stays None)."""
    if text is None:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        raise fail(f"{what} {text!r} is not a UUID") from None


def need_uuid(text: str, what: str) -> uuid.UUID:
    """A UUID the command cannot do without."""
    value = as_uuid(text, what)
    assert value is not None  # text is not None
    return value


def as_decimal(text: str | None, what: str) -> Decimal | None:
    """A finite number from the command line (None stays None)."""
    if text is None:
        return None
    try:
        value = Decimal(text.replace("_", ""))
    except InvalidOperation:
        raise fail(f"{what} {text!r} is not a number") from None
    if not value.is_finite():
        raise fail(f"{what} {text!r} is not a finite number")
    return value


def parameters(items: list[str] | None) -> dict[str, str]:
    """``--param name=value`` options as a mapping (the store converts and checks values)."""
    found: dict[str, str] = {}
    for item in items or ():
        name, equals, value = item.partition("=")
        name = name.strip()
        if not equals or not name:
            raise fail(f"--param {item!r} is not name=value")
        if name in found:
            raise fail(f"--param {name} is given twice")
        found[name] = value.strip()
    return found


def subscriptions(symbols: list[str] | None, timeframes: list[str] | None) -> list[tuple[str, str]]:
    """Every symbol with every timeframe, the first symbol's first timeframe first."""
    return [(s.strip(), t.strip()) for s in symbols or () for t in timeframes or ()]


def sizing(quantity: str | None, fraction: str | None) -> Sizing | None:
    """``--quantity`` (fixed) or ``--equity-fraction``; None when neither is given."""
    from shared.strategy.definition import Sizing

    if quantity is not None and fraction is not None:
        raise fail("give --quantity or --equity-fraction, not both")
    try:
        if quantity is not None:
            return Sizing("fixed", quantity=as_decimal(quantity, "--quantity") or Decimal(0))
        if fraction is not None:
            amount = as_decimal(fraction, "--equity-fraction") or Decimal(0)
            return Sizing("equity", fraction=amount)
    except ValueError as exc:
        raise fail(str(exc)) from None
    return None


def read_rules(path: Path | None) -> dict[str, Any] | None:
    """The rule set in a JSON file."""
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise fail(f"cannot read the rules file {path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise fail(f"the rules file {path} is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise fail(f"the rules file {path} holds no JSON object")
    return data


StrategyArg = Annotated[str, typer.Argument(metavar="STRATEGY_ID", help="The strategy's id.")]
UserOpt = Annotated[
    str | None,
    typer.Option(
        "--user", metavar="UUID", help="Act as this user (their strategies only).",
        show_default=False,
    ),
]  # fmt: skip
Params = Annotated[
    list[str] | None,
    typer.Option("--param", metavar="NAME=VALUE", help="A parameter; repeat for more.",
                 show_default=False),
]  # fmt: skip
Symbols = Annotated[
    list[str] | None,
    typer.Option("--symbol", help="A symbol to trade, e.g. ESZ6; repeat for more.",
                 show_default=False),
]  # fmt: skip
Timeframes = Annotated[
    list[str] | None,
    typer.Option("--timeframe", help="A candle timeframe, e.g. 1m; repeat for more.",
                 show_default=False),
]  # fmt: skip
RulesFile = Annotated[
    Path | None,
    typer.Option("--rules", metavar="FILE.json", help="A rule set (JSON).", show_default=False),
]
Quantity = Annotated[
    str | None,
    typer.Option("--quantity", metavar="N", help="Fixed size: N contracts per order.",
                 show_default=False),
]  # fmt: skip
Fraction = Annotated[
    str | None,
    typer.Option("--equity-fraction", metavar="F",
                 help="Size as a fraction of the strategy's equity.", show_default=False),
]  # fmt: skip
Capital = Annotated[
    str | None,
    typer.Option("--capital", metavar="AMOUNT", help="The strategy's capital (default 100000).",
                 show_default=False),
]  # fmt: skip
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
