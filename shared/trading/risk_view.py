"""What each pre-trade check is given and returns: a scope's view, and a ``Rejection``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from shared.messages.schemas.reasons import RejectReason
from shared.trading.exposure import Scope, ScopeExposure, SymbolExposure
from shared.trading.orders import Order
from shared.trading.risk_limits import RiskLimits

if TYPE_CHECKING:
    from shared.trading.risk import RiskContext

ZERO = Decimal(0)


class Rejection(NamedTuple):
    """Why risk refused an order: a stable reason code and a message naming the numbers."""

    reason: RejectReason
    message: str


@dataclass(slots=True)
class ScopeView:
    """One scope as a check sees it: its limits, its exposure, and its daily P&L."""

    scope: Scope
    limits: RiskLimits
    exposure: ScopeExposure | None
    book: SymbolExposure
    daily_pnl: Decimal
    reduces: bool
    sign: int

    @property
    def label(self) -> str:
        account_id, strategy_id = self.scope
        if strategy_id is None:
            return f"account {account_id}"
        return f"strategy {strategy_id} of account {account_id}"


def reduces(book: SymbolExposure | None, sign: int, quantity: Decimal) -> bool:
    """True if an order of this side and quantity only shrinks the net position."""
    net = book.net if book is not None else ZERO
    return (net < 0 if sign > 0 else net > 0) and quantity <= abs(net)


Check = Callable[[Order, "RiskContext", ScopeView], Rejection | None]
