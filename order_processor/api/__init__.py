"""The order processor's internal HTTP API for the gateway: an account's ledger, read-only.

Every route is under ``/api/v1/accounts/{account_id}`` and needs ``user_id``: an account
that user does not own answers 404, exactly like a missing one.
"""

from order_processor.api.accounts import router as accounts_router
from order_processor.api.fills import router as fills_router
from order_processor.api.orders import router as orders_router
from order_processor.api.positions import router as positions_router
from order_processor.api.risk import router as risk_router

ROUTERS = (orders_router, fills_router, positions_router, accounts_router, risk_router)

__all__ = [
    "ROUTERS",
    "accounts_router",
    "fills_router",
    "orders_router",
    "positions_router",
    "risk_router",
]
