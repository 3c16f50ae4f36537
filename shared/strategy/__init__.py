"""The strategy API shared by live strategy workers and the backtester (pure, synchronous)."""
