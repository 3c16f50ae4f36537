"""Command payloads from command-line options; invalid combinations are usage errors."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

import pydantic
import typer

from order_processor.cli_options import Kind, Side, Tif
from shared.messages.envelope import Payload
from shared.messages.schemas.common import OrderSide, OrderType, TimeInForce
from shared.messages.schemas.orders import (
    Bracket,
    CancelAll,
    CancelOrder,
    FlattenAll,
    ModifyOrder,
    SubmitOrder,
)

P = TypeVar("P", bound=Payload)

ORDER_TYPES = {
    Kind.MARKET: OrderType.MARKET,
    Kind.LIMIT: OrderType.LIMIT,
    Kind.STOP: OrderType.STOP,
    Kind.STOP_LIMIT: OrderType.STOP_LIMIT,
}


def new_client_order_id() -> str:
    """A fresh client order id for a submit that names none."""
    return f"cli-{uuid.uuid4().hex[:20]}"


def explain(exc: pydantic.ValidationError) -> str:
    """The validation errors in one line, without pydantic's decoration."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"])
        text = error["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {text}" if where else text)
    return "; ".join(parts)


def _checked(build: Callable[[], P]) -> P:
    try:
        return build()
    except pydantic.ValidationError as exc:
        raise typer.BadParameter(explain(exc)) from None


def submit_order(
    *,
    account: uuid.UUID,
    user: uuid.UUID,
    symbol: str,
    side: Side,
    kind: Kind,
    qty: Decimal,
    limit: Decimal | None = None,
    stop: Decimal | None = None,
    tif: Tif = Tif.DAY,
    reduce_only: bool = False,
    take_profit: Decimal | None = None,
    stop_loss: Decimal | None = None,
    client_order_id: str | None = None,
) -> SubmitOrder:
    """The ``SubmitOrder`` the options describe."""

    def build() -> SubmitOrder:
        bracket = None
        if take_profit is not None or stop_loss is not None:
            bracket = Bracket(take_profit_price=take_profit, stop_loss_price=stop_loss)
        return SubmitOrder(
            account_id=account,
            user_id=user,
            client_order_id=client_order_id or new_client_order_id(),
            symbol=symbol,
            side=OrderSide(side.value.upper()),
            order_type=ORDER_TYPES[kind],
            quantity=qty,
            limit_price=limit,
            stop_price=stop,
            time_in_force=TimeInForce(tif.value.upper()),
            reduce_only=reduce_only,
            bracket=bracket,
        )

    return _checked(build)


def cancel_order(
    *,
    account: uuid.UUID,
    user: uuid.UUID,
    order_id: uuid.UUID | None,
    client_order_id: str | None,
    reason: str = "",
) -> CancelOrder:
    """The ``CancelOrder`` of one order, named by its id or its client order id."""
    return _checked(
        lambda: CancelOrder(
            account_id=account,
            user_id=user,
            order_id=order_id,
            client_order_id=client_order_id,
            reason=reason,
        )
    )


def modify_order(
    *,
    account: uuid.UUID,
    user: uuid.UUID,
    order_id: uuid.UUID | None,
    client_order_id: str | None,
    qty: Decimal | None,
    limit: Decimal | None,
    stop: Decimal | None,
) -> ModifyOrder:
    """The ``ModifyOrder`` of one order; at least one of qty, limit and stop changes."""
    return _checked(
        lambda: ModifyOrder(
            account_id=account,
            user_id=user,
            order_id=order_id,
            client_order_id=client_order_id,
            quantity=qty,
            limit_price=limit,
            stop_price=stop,
        )
    )


def sweep(
    *, flatten: bool, account: uuid.UUID, user: uuid.UUID, symbol: str | None, reason: str = ""
) -> CancelAll | FlattenAll:
    """``CancelAll`` or ``FlattenAll`` of one account (and maybe one symbol)."""
    cls = FlattenAll if flatten else CancelAll
    return _checked(lambda: cls(account_id=account, user_id=user, symbol=symbol, reason=reason))
