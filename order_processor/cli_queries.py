"""``tickstream order list``, ``positions`` and ``summary``: the order processor's HTTP API.

Exit codes: 0 answered, 1 the API refused the request (unknown account, not the owner), 2
the API cannot be reached or failed.
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Callable
from typing import Annotated, Any

import typer

from order_processor.cli_options import AccountId, ApiUrl, Json, SymbolFilter, UserId, fail

HttpTimeout = Annotated[float, typer.Option(min=0.1, help="Seconds to wait for the API.")]


def _answer(
    fetch: Callable[[str], Any], api_url: str | None, as_json: bool, render: Callable[[Any], str]
) -> None:
    from order_processor.cli_api import ApiError
    from order_processor.cli_session import api_base, load_settings

    base = api_base(load_settings(), api_url)
    try:
        found = fetch(base)
    except ApiError as exc:
        raise fail(str(exc), exc.code) from None
    typer.echo(jsonlib.dumps(found, indent=2) if as_json else render(found))


def list_orders(
    *,
    account: AccountId,
    user: UserId,
    working: Annotated[bool, typer.Option("--working", help="Only orders still working.")] = False,
    symbol: SymbolFilter = None,
    api_url: ApiUrl = None,
    timeout: HttpTimeout = 10.0,
    json: Json = False,
) -> None:
    """The account's newest 100 orders, newest first."""
    from order_processor.cli_api import fetch_orders
    from order_processor.cli_tables import ORDER_COLUMNS, rows_table

    def fetch(base: str) -> list[dict[str, Any]]:
        return fetch_orders(base, account, user, working=working, symbol=symbol, timeout_s=timeout)

    def render(rows: list[dict[str, Any]]) -> str:
        return rows_table(rows, ORDER_COLUMNS) if rows else "no orders"

    _answer(fetch, api_url, json, render)


def positions(
    *,
    account: AccountId,
    user: UserId,
    closed: Annotated[
        bool, typer.Option("--all", help="Closed positions too, not only open ones.")
    ] = False,
    api_url: ApiUrl = None,
    timeout: HttpTimeout = 10.0,
    json: Json = False,
) -> None:
    """The account's open positions (--all: and closed ones) with their P&L."""
    from order_processor.cli_api import fetch_positions
    from order_processor.cli_tables import POSITION_COLUMNS, rows_table

    def render(rows: list[dict[str, Any]]) -> str:
        return rows_table(rows, POSITION_COLUMNS) if rows else "no positions"

    def fetch(base: str) -> list[dict[str, Any]]:
        return fetch_positions(base, account, user, closed=closed, timeout_s=timeout)

    _answer(fetch, api_url, json, render)


def summary(
    *,
    account: AccountId,
    user: UserId,
    api_url: ApiUrl = None,
    timeout: HttpTimeout = 10.0,
    json: Json = False,
) -> None:
    """The account's balance, realized and unrealized P&L, exposure and margin in use."""
    from order_processor.cli_api import account_path, get_json
    from order_processor.cli_tables import summary_table

    def fetch(base: str) -> Any:
        path = account_path(account, "summary")
        return get_json(base, path, {"user_id": str(user)}, timeout_s=timeout)

    def render(found: Any) -> str:
        return summary_table(found) if isinstance(found, dict) else str(found)

    _answer(fetch, api_url, json, render)


def register(app: typer.Typer) -> None:
    """Add ``list``, ``positions`` and ``summary`` to the ``order`` group."""
    app.command("list")(list_orders)
    app.command()(positions)
    app.command()(summary)
