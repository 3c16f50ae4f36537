"""Reading the order processor's HTTP API: orders, positions and the account summary."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from order_processor.cli_options import Exit


class ApiError(Exception):
    """The API could not answer (``Exit.UNAVAILABLE``) or refused the request."""

    def __init__(self, message: str, code: Exit) -> None:
        super().__init__(message)
        self.code = code


def _problem(response: httpx.Response) -> str:
    """The error answer's own words (problem+json ``detail``, FastAPI's ``detail``)."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300]
    if isinstance(body, dict):
        detail = body.get("detail") or body.get("title") or body
        return detail if isinstance(detail, str) else str(detail)
    return str(body)


def get_json(base: str, path: str, params: dict[str, str], *, timeout_s: float = 10.0) -> Any:
    """GET ``base + path``; a 4xx is refused (exit 1), anything else that fails exit 2."""
    url = base + path
    try:
        response = httpx.get(url, params=params, timeout=timeout_s)
    except httpx.TransportError as exc:
        raise ApiError(
            f"the order processor at {base} cannot be reached: {exc or type(exc).__name__} "
            "(is it running? try `tickstream status order_processor`)",
            Exit.UNAVAILABLE,
        ) from None
    if response.is_success:
        return response.json()
    code = Exit.REJECTED if response.is_client_error else Exit.UNAVAILABLE
    raise ApiError(f"{url} answered {response.status_code}: {_problem(response)}", code)


def rows_of(body: Any) -> list[dict[str, Any]]:
    """The items of a list answer: a bare list, or the ``data`` of ``{"data": [...]}``."""
    items = body.get("data", []) if isinstance(body, dict) else body
    if not isinstance(items, list):
        raise ApiError(f"unexpected answer: {str(body)[:200]}", Exit.UNAVAILABLE)
    return [item for item in items if isinstance(item, dict)]


def account_path(account: uuid.UUID, what: str) -> str:
    return f"/api/v1/accounts/{account}/{what}"


def fetch_orders(
    base: str,
    account: uuid.UUID,
    user: uuid.UUID,
    *,
    working: bool = False,
    symbol: str | None = None,
    limit: int = 100,
    timeout_s: float = 10.0,
) -> list[dict[str, Any]]:
    """The account's newest ``limit`` orders (only working ones, one symbol's)."""
    params = {"user_id": str(user), "limit": str(limit)}
    if symbol:
        params["symbol"] = symbol
    if working:
        params["working"] = "true"
    body = get_json(base, account_path(account, "orders"), params, timeout_s=timeout_s)
    return rows_of(body)


def fetch_positions(
    base: str,
    account: uuid.UUID,
    user: uuid.UUID,
    *,
    closed: bool = False,
    limit: int = 100,
    timeout_s: float = 10.0,
) -> list[dict[str, Any]]:
    """The account's open positions (and its closed ones), most recently opened first."""
    params = {"user_id": str(user), "status": "all" if closed else "open", "limit": str(limit)}
    body = get_json(base, account_path(account, "positions"), params, timeout_s=timeout_s)
    return rows_of(body)


def is_open(position: dict[str, Any]) -> bool:
    """True for a position whose status says open (else: one with contracts on)."""
    state = str(position.get("status") or position.get("state") or "").upper()
    if state:
        return state == "OPEN"
    try:
        return float(position.get("quantity") or 0) != 0
    except (TypeError, ValueError):
        return True
