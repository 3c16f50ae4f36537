"""The market data engine's adapters to Postgres, Redis, InfluxDB and other systems."""
