"""``tickstream strategy list``, ``show``, ``versions`` and ``types``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from strategy_workers.cli_strategies_options import Json, StrategyArg, UserOpt, as_uuid, need_uuid
from strategy_workers.cli_strategies_session import owned, with_store

if TYPE_CHECKING:
    from shared.db.strategies import StrategyInfo, StrategyStore, VersionInfo
    from shared.strategy.definition import StrategyDefinition


def list_(user: UserOpt = None, json: Json = False) -> None:
    """List the strategies (of one user), oldest first."""
    from strategy_workers.cli_strategies_format import as_json, strategies_table

    user_id = as_uuid(user, "--user")

    async def work(store: StrategyStore) -> list[StrategyInfo]:
        return await store.strategies(user_id)

    found = with_store(work)
    if json:
        typer.echo(as_json(found))
    else:
        typer.echo(strategies_table(found) if found else "no strategies")


def show(strategy: StrategyArg, user: UserOpt = None, json: Json = False) -> None:
    """Show a strategy: status, the version it runs (or last ran, or the newest), settings."""
    from strategy_workers.cli_strategies_format import as_json, strategy_fields

    strategy_id, user_id = need_uuid(strategy, "strategy id"), as_uuid(user, "--user")

    async def work(store: StrategyStore) -> tuple[StrategyInfo, StrategyDefinition]:
        await owned(store, strategy_id, user_id)
        info = await store.info(strategy_id)
        definition = await store.definition(strategy_id, info.version if info else None)
        if info is None or definition is None:
            raise ValueError(f"strategy {strategy_id} vanished while being read")
        return info, definition

    info, definition = with_store(work)
    fields = strategy_fields(info, definition)
    if json:
        typer.echo(as_json(dict(fields)))
    else:
        typer.echo("\n".join(f"{name:<12}{value}" for name, value in fields))


def versions(strategy: StrategyArg, user: UserOpt = None, json: Json = False) -> None:
    """List a strategy's versions, oldest first, with their hashes and settings."""
    from strategy_workers.cli_strategies_format import as_json, versions_table

    strategy_id, user_id = need_uuid(strategy, "strategy id"), as_uuid(user, "--user")

    async def work(store: StrategyStore) -> list[VersionInfo]:
        await owned(store, strategy_id, user_id)
        return await store.versions(strategy_id)

    found = with_store(work)
    typer.echo(as_json(found) if json else versions_table(found))


def types(json: Json = False) -> None:
    """The built-in strategies (--code builtin:<name>) and their parameters."""
    from shared.strategy.builtins import BUILTINS
    from shared.strategy.params import describe
    from strategy_workers.cli_strategies_format import as_json, types_table

    described = {f"builtin:{name}": describe(cls.PARAMS) for name, cls in BUILTINS.items()}
    if json:
        typer.echo(as_json(described))
        return
    typer.echo(types_table(described))
    typer.echo("\n--code rules with --rules FILE.json runs a declarative rule set instead.")


def register(app: typer.Typer) -> None:
    """Add ``list``, ``show``, ``versions`` and ``types``."""
    app.command("list")(list_)
    app.command()(show)
    app.command()(versions)
    app.command()(types)
