"""``python -m market_data_engine`` starts the market data engine."""

from market_data_engine.app import build_app
from market_data_engine.settings import MarketDataEngineSettings
from shared.service import run

if __name__ == "__main__":
    raise SystemExit(run(build_app, MarketDataEngineSettings))
