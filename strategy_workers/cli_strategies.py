"""``tickstream strategy``: users' strategies, their versions, and starting and stopping them.

``create`` and ``update`` write versions to Postgres (``TICKSTREAM_POSTGRES_DSN``); ``start``,
``pause`` and ``stop`` publish control commands on Kafka for the strategy workers and wait
until the status in Postgres changes. Exit codes: 0 done, 2 refused, out of reach or no
change in time (the error in one line on stderr).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from strategy_workers import cli_strategies_control, cli_strategies_view
from strategy_workers.cli_strategies_options import (
    Capital,
    Fraction,
    Params,
    Quantity,
    RulesFile,
    StrategyArg,
    Symbols,
    Timeframes,
    UserOpt,
    as_decimal,
    as_uuid,
    fail,
    need_uuid,
    parameters,
    read_rules,
    sizing,
    subscriptions,
)
from strategy_workers.cli_strategies_session import owned, with_store

if TYPE_CHECKING:
    from shared.db.strategies import StrategyStore
    from shared.strategy.definition import StrategyDefinition

CodeOpt = Annotated[
    str | None,
    typer.Option("--code", metavar="CODE", show_default=False,
                 help="builtin:<name> (see `tickstream strategy types`) or rules."),
]  # fmt: skip


def _now() -> int:
    from shared.clock import SystemClock

    return SystemClock().now_ns()


def create(
    *,
    user: Annotated[str, typer.Option("--user", metavar="UUID", help="The owner's user id.")],
    account: Annotated[
        str, typer.Option("--account", metavar="UUID", help="One of the owner's accounts.")
    ],
    name: Annotated[str, typer.Option(help="A name people recognise.")],
    code: CodeOpt = None,
    symbol: Symbols = None,
    timeframe: Timeframes = None,
    param: Params = None,
    rules: RulesFile = None,
    quantity: Quantity = None,
    equity_fraction: Fraction = None,
    capital: Capital = None,
) -> None:
    """Create a strategy (version 1, stopped) on one of the user's accounts."""
    from decimal import Decimal

    if not symbol or not timeframe:
        raise fail(
            "give at least one --symbol and one --timeframe, e.g. --symbol ESZ6 --timeframe 1m"
        )
    code_ref = code or ("rules" if rules is not None else None)
    if code_ref is None:
        raise fail("give --code, e.g. builtin:ma_crossover (see `tickstream strategy types`)")
    args: dict[str, Any] = {
        "user_id": need_uuid(user, "--user"),
        "account_id": need_uuid(account, "--account"),
        "name": name,
        "code_ref": code_ref,
        "subscriptions": subscriptions(symbol, timeframe),
        "parameters": parameters(param),
        "rules": read_rules(rules),
        "sizing": sizing(quantity, equity_fraction),
        "capital": as_decimal(capital, "--capital") or Decimal(100000),
    }

    async def work(store: StrategyStore) -> StrategyDefinition:
        return await store.create(**args, ts_ns=_now())

    made = with_store(work)
    typer.echo(f"created strategy {made.strategy_id} version 1 hash {made.content_hash}")
    typer.echo(f"start it with: tickstream strategy start {made.strategy_id}")


def update(
    strategy: StrategyArg,
    *,
    user: UserOpt = None,
    name: Annotated[str | None, typer.Option(help="A new name.", show_default=False)] = None,
    code: CodeOpt = None,
    symbol: Symbols = None,
    timeframe: Timeframes = None,
    param: Params = None,
    rules: RulesFile = None,
    quantity: Quantity = None,
    equity_fraction: Fraction = None,
    capital: Capital = None,
) -> None:
    """Change a strategy: a new version when its content changes, else "unchanged".

    --param values are merged into the current parameters; --symbol or --timeframe
    replace the current ones (the other kept).
    """
    strategy_id, user_id = need_uuid(strategy, "strategy id"), as_uuid(user, "--user")
    asked: dict[str, Any] = {
        "name": name, "code_ref": code, "rules": read_rules(rules),
        "sizing": sizing(quantity, equity_fraction), "capital": as_decimal(capital, "--capital"),
    }  # fmt: skip
    changes = {k: v for k, v in asked.items() if v is not None}
    given = parameters(param)

    async def work(store: StrategyStore) -> tuple[int, StrategyDefinition]:
        current = await owned(store, strategy_id, user_id)
        if given:
            changes["parameters"] = {**current.parameters, **given}
        if symbol or timeframe:
            symbols = symbol or list(dict.fromkeys(s for s, _ in current.subscriptions))
            frames = timeframe or list(dict.fromkeys(t for _, t in current.subscriptions))
            changes["subscriptions"] = subscriptions(symbols, frames)
        revised = await store.revise(strategy_id, current.user_id, ts_ns=_now(), **changes)
        return current.version, revised

    before, after = with_store(work)
    if after.version == before:
        typer.echo(f"unchanged: version {after.version} hash {after.content_hash}")
    else:
        typer.echo(f"version {after.version} hash {after.content_hash}")


def register(app: typer.Typer) -> None:
    """Add the ``strategy`` command group."""
    group = typer.Typer(
        help="Strategies: create and change them (each change an immutable version), list "
        "them, start, pause and stop them live. Exit code 2 when refused or out of reach.",
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    group.command()(create)
    group.command()(update)
    cli_strategies_view.register(group)
    cli_strategies_control.register(group)
    app.add_typer(group, name="strategy")
