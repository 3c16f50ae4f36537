"""Logs are JSON lines tagged with the service and the correlation id."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from shared.observability.logging import configure_logging, correlation_scope


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    buffer = io.StringIO()
    configure_logging("order_processor", level="INFO", json=True, stream=buffer)
    yield buffer
    root.handlers[:] = handlers
    root.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_log_line_is_json_with_service_and_correlation_id(stream: io.StringIO) -> None:
    with correlation_scope("abc-123"):
        logging.getLogger("tickstream.test").info("order %s accepted", "o-1")
    [line] = lines(stream)
    assert line["message"] == "order o-1 accepted"
    assert line["service"] == "order_processor"
    assert line["correlation_id"] == "abc-123"
    assert line["level"] == "INFO"
    assert line["logger"] == "tickstream.test"


def test_correlation_id_is_absent_outside_a_scope(stream: io.StringIO) -> None:
    logging.getLogger("tickstream.test").warning("no request")
    assert lines(stream)[0]["correlation_id"] is None


def test_scope_without_a_value_makes_a_fresh_id(stream: io.StringIO) -> None:
    with correlation_scope() as first, correlation_scope() as second:
        assert first != second
        logging.getLogger("tickstream.test").info("inner")
    assert lines(stream)[0]["correlation_id"] == second


def test_configuring_twice_keeps_one_handler(stream: io.StringIO) -> None:
    configure_logging("order_processor", stream=stream)
    logging.getLogger("tickstream.test").info("once")
    assert len(lines(stream)) == 1


def test_probe_requests_are_left_out_of_the_access_log(stream: io.StringIO) -> None:
    access = logging.getLogger("uvicorn.access")
    args = ("127.0.0.1:5000", "GET", "/ready", "1.1", 200)
    access.info('%s - "%s %s HTTP/%s" %d', *args)
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/api/v1/orders", "1.1", 200)
    [line] = lines(stream)
    assert "/api/v1/orders" in str(line["message"])


def test_extra_fields_are_kept(stream: io.StringIO) -> None:
    logging.getLogger("tickstream.test").warning("down", extra={"dependency": "kafka"})
    assert lines(stream)[0]["dependency"] == "kafka"


def test_uvicorn_colour_copy_is_left_out(stream: io.StringIO) -> None:
    logging.getLogger("uvicorn.error").info("started", extra={"color_message": "\x1b[1mstarted"})
    [line] = lines(stream)
    assert "color_message" not in line
