"""``python -m strategy_workers`` starts the strategy workers."""

from shared.service import run
from strategy_workers.app import build_app
from strategy_workers.settings import StrategyWorkersSettings

if __name__ == "__main__":
    raise SystemExit(run(build_app, StrategyWorkersSettings))
