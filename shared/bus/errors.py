"""Telling infrastructure failures from bugs, so the consumer knows how to retry.

A *transient* error means the message is fine but something it needs (Kafka, Postgres,
Redis, InfluxDB, the network) is not answering: the consumer retries it without limit,
with capped backoff, and never dead-letters it. A *permanent* error is most likely a bug
or bad data: it is retried a few times, then dead-lettered. A *fatal* error stops the
consumer loop at once (broken invariants: let the orchestrator restart the process).

``classify_error`` is the default; ``make_classifier`` extends it with a service's own
exception types, and any exception subclassing ``TransientError`` counts as transient.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

import asyncpg
import httpx
import redis.exceptions
from aiokafka.errors import KafkaError


class ErrorKind(StrEnum):
    """How the consumer treats a handler's exception."""

    TRANSIENT = "transient"
    PERMANENT = "permanent"
    FATAL = "fatal"


class TransientError(Exception):
    """Raise (or subclass) to say: infrastructure is unavailable, retry this later."""


Classifier = Callable[[BaseException], ErrorKind]

# OSError covers ConnectionError and TimeoutError (asyncio.TimeoutError in 3.11); these
# subclasses of it are about local files, which retrying will not fix.
_NOT_TRANSIENT_OS_ERRORS = (
    FileNotFoundError,
    FileExistsError,
    IsADirectoryError,
    NotADirectoryError,
    PermissionError,
)

_TRANSIENT_TYPES: tuple[type[BaseException], ...] = (
    TransientError,
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
    asyncpg.TransactionRollbackError,  # serialization failures and deadlocks: try again
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    httpx.TransportError,
)


def classify_error(exc: BaseException) -> ErrorKind:
    """The default classification of a handler's exception."""
    if isinstance(exc, _NOT_TRANSIENT_OS_ERRORS):
        return ErrorKind.PERMANENT
    if isinstance(exc, _TRANSIENT_TYPES):
        return ErrorKind.TRANSIENT
    if isinstance(exc, KafkaError):
        return ErrorKind.TRANSIENT if exc.retriable else ErrorKind.PERMANENT
    # asyncpg raises the bare InterfaceError for a closed connection or pool; its
    # subclasses (DataError, ClientConfigurationError, ...) are programming errors.
    if type(exc) is asyncpg.InterfaceError:
        return ErrorKind.TRANSIENT
    return ErrorKind.PERMANENT


def make_classifier(
    *,
    transient: tuple[type[BaseException], ...] = (),
    permanent: tuple[type[BaseException], ...] = (),
    fatal: tuple[type[BaseException], ...] = (),
    fallback: Classifier = classify_error,
) -> Classifier:
    """A classifier that checks the given types first (fatal, permanent, transient)."""

    def classify(exc: BaseException) -> ErrorKind:
        if isinstance(exc, fatal):
            return ErrorKind.FATAL
        if isinstance(exc, permanent):
            return ErrorKind.PERMANENT
        if isinstance(exc, transient):
            return ErrorKind.TRANSIENT
        return fallback(exc)

    return classify
