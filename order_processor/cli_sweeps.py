"""``tickstream order cancel-all`` and ``flatten``: every order or position of an account.

A sweep over nothing in scope has no events to answer it, so the command first asks the
API what is in scope; when nothing is, a short silence is the expected answer (exit 0).
When the API cannot tell, the command waits for events up to the timeout.
"""

from __future__ import annotations

import uuid
from typing import Annotated

import typer

from order_processor.cli_options import AccountId, ApiUrl, Json, SymbolFilter, Timeout, UserId

QUIET_S = 2.0
"""How long a sweep over nothing waits for events, in case the API's view was stale."""

Reason = Annotated[str, typer.Option(help="A note kept with the command.")]


def cancel_all(
    *,
    account: AccountId,
    user: UserId,
    symbol: SymbolFilter = None,
    reason: Reason = "",
    api_url: ApiUrl = None,
    timeout: Timeout = 10.0,
    json: Json = False,
) -> None:
    """Cancel every working order of the account (or of one symbol)."""
    _sweep(False, account=account, user=user, symbol=symbol, reason=reason, api_url=api_url,
           timeout=timeout, as_json=json)  # fmt: skip


def flatten(
    *,
    account: AccountId,
    user: UserId,
    symbol: SymbolFilter = None,
    reason: Reason = "",
    api_url: ApiUrl = None,
    timeout: Timeout = 10.0,
    json: Json = False,
) -> None:
    """Cancel the working orders, then close every open position at market."""
    _sweep(True, account=account, user=user, symbol=symbol, reason=reason, api_url=api_url,
           timeout=timeout, as_json=json)  # fmt: skip


def in_scope(
    base: str, account: uuid.UUID, user: uuid.UUID, symbol: str | None, flatten: bool
) -> int:
    """Working orders (and, to flatten, open positions) the sweep would touch."""
    from order_processor.cli_api import fetch_orders, fetch_positions, is_open

    count = len(fetch_orders(base, account, user, working=True, symbol=symbol, limit=1000))
    if flatten:
        count += sum(
            1
            for p in fetch_positions(base, account, user)
            if is_open(p) and symbol in (None, p.get("symbol"))
        )
    return count


def _sweep(
    flatten: bool,
    *,
    account: uuid.UUID,
    user: uuid.UUID,
    symbol: str | None,
    reason: str,
    api_url: str | None,
    timeout: float,
    as_json: bool,
) -> None:
    from order_processor.cli_api import ApiError
    from order_processor.cli_build import sweep
    from order_processor.cli_session import api_base, exchange, finish, load_settings

    payload = sweep(flatten=flatten, account=account, user=user, symbol=symbol, reason=reason)
    base = api_base(load_settings(), api_url)
    try:
        count: int | None = in_scope(base, account, user, symbol, flatten)
    except ApiError as exc:
        typer.secho(f"cannot tell what is in scope ({exc}); waiting for events", err=True)
        count = None
    listen_s = min(QUIET_S, timeout) if count == 0 else None
    conversation = exchange(payload, timeout_s=timeout, as_json=as_json, listen_s=listen_s)
    if count == 0 and not conversation.answered:
        if not as_json:
            typer.echo("nothing to flatten" if flatten else "no working orders to cancel")
        raise typer.Exit(0)
    finish(conversation, timeout, as_json=as_json)


def register(app: typer.Typer) -> None:
    """Add ``cancel-all`` and ``flatten`` to the ``order`` group."""
    app.command("cancel-all")(cancel_all)
    app.command()(flatten)
