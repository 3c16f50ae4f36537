"""Structured logs: one JSON object per line, tagged with the service and correlation id.

The correlation id lives in a context variable, so every log line written while handling
one request or one message carries it without being passed around.
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TextIO

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

_correlation_id: ContextVar[str | None] = ContextVar("tickstream_correlation_id", default=None)

PROBE_PATHS = frozenset({"/health", "/ready", "/metrics"})
_JSON_FIELDS = ("asctime", "levelname", "name", "message", "service", "correlation_id")
_TEXT_FORMAT = "%(asctime)s %(levelname)s [%(service)s %(correlation_id)s] %(name)s: %(message)s"


def current_correlation_id() -> str | None:
    """The correlation id of the work in progress, if any."""
    return _correlation_id.get()


@contextmanager
def correlation_scope(value: str | None = None) -> Iterator[str]:
    """Tag every log line inside the block with ``value`` (a fresh id when None)."""
    correlation_id = value or uuid.uuid4().hex
    token = _correlation_id.set(correlation_id)
    try:
        yield correlation_id
    finally:
        _correlation_id.reset(token)


class ContextFilter(logging.Filter):
    """Adds ``service`` and ``correlation_id`` to every record."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        record.correlation_id = _correlation_id.get()
        return True


class ProbeAccessFilter(logging.Filter):
    """Drops access-log lines for health, readiness and metrics probes (polled constantly)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) >= 3:
            path = str(args[2]).split("?", 1)[0]
            return path not in PROBE_PATHS
        return True


class _ServiceHandler(logging.StreamHandler[TextIO]):
    """Marks the handler this module installed, so configuring again replaces it."""


def configure_logging(
    service: str, *, level: str = "INFO", json: bool = True, stream: TextIO | None = None
) -> None:
    """Send all logs (ours and uvicorn's) to one handler; safe to call more than once."""
    handler = _ServiceHandler(stream or sys.stderr)
    handler.addFilter(ContextFilter(service))
    handler.addFilter(ProbeAccessFilter())
    if json:
        handler.setFormatter(
            JsonFormatter(
                list(_JSON_FIELDS),
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                # uvicorn adds an ANSI-coloured copy of some messages; JSON wants one copy.
                reserved_attrs=[*RESERVED_ATTRS, "color_message"],
            )
        )
    else:
        handler.setFormatter(logging.Formatter(_TEXT_FORMAT))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _ServiceHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # uvicorn installs its own handlers when it configures logging; ours take over.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
