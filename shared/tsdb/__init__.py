"""InfluxDB: line-protocol writes and InfluxQL reads over the v1-compatible HTTP API."""

from shared.resources import NotStartedError
from shared.tsdb.client import WRITE_BATCH_LINES, InfluxDB
from shared.tsdb.errors import InfluxError
from shared.tsdb.influxql import (
    Series,
    parse_query_response,
    quote_ident,
    quote_string,
)
from shared.tsdb.line_protocol import (
    FieldValue,
    Point,
    escape_field_key,
    escape_measurement,
    escape_tag,
    format_field_value,
    line,
)

__all__ = [
    "WRITE_BATCH_LINES",
    "FieldValue",
    "InfluxDB",
    "InfluxError",
    "NotStartedError",
    "Point",
    "Series",
    "escape_field_key",
    "escape_measurement",
    "escape_tag",
    "format_field_value",
    "line",
    "parse_query_response",
    "quote_ident",
    "quote_string",
]
