"""``python -m market_data_engine.feeds``: publish a synthetic market or a replay to Kafka."""

from market_data_engine.feeds.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
