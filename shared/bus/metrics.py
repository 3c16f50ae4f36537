"""Prometheus metrics of the bus (metric objects only; they hold no connections)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

PRODUCED = Counter(
    "tickstream_bus_produced_total", "Messages acknowledged by Kafka.", ["topic", "type"]
)
PRODUCE_ERRORS = Counter(
    "tickstream_bus_produce_errors_total", "Messages Kafka did not acknowledge.", ["topic"]
)
CONSUMED = Counter(
    "tickstream_bus_consumed_total", "Messages decoded by a consumer.", ["group", "topic", "type"]
)
HANDLED_SECONDS = Histogram(
    "tickstream_bus_handled_seconds",
    "Time from receiving a message to its outcome, retries included.",
    ["group", "topic"],
)
RETRIED = Counter(
    "tickstream_bus_retried_total", "Handler retries, by error kind.", ["group", "topic", "kind"]
)
DEAD_LETTERED = Counter(
    "tickstream_bus_dead_lettered_total",
    "Messages written to a dead-letter topic.",
    ["group", "topic", "reason"],
)
CONSUMER_LAG = Gauge(
    "tickstream_bus_consumer_lag",
    "Messages in a partition not yet done by the group (highwater - committable offset).",
    ["group", "topic", "partition"],
)
