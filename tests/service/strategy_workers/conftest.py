from tests.service.strategy_workers.strategies import test_strategies

__all__ = ["test_strategies"]
