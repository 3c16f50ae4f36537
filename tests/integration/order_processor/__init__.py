"""Integration tests of the order processor against the real Kafka and Postgres."""
