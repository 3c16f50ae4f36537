"""The API gateway's adapters to Postgres, Redis, InfluxDB and other systems."""
