"""The order processor's adapters to Postgres, Redis, InfluxDB and other systems."""
