"""The WebSocket service's adapters to Postgres, Redis, InfluxDB and other systems."""
