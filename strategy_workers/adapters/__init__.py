"""The strategy workers's adapters to Postgres, Redis, InfluxDB and other systems."""
