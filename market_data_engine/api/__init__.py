"""HTTP routers of the market data engine: candle queries and gap reports."""

from market_data_engine.api.candles import router as candles_router
from market_data_engine.api.gaps import router as gaps_router

__all__ = ["candles_router", "gaps_router"]
