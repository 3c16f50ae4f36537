"""The analytics service's adapters to Postgres, Redis, InfluxDB and other systems."""
