"""Which handler errors are infrastructure (retry forever) and which are bugs."""

import asyncpg
import httpx
import pytest
import redis.exceptions
from aiokafka.errors import KafkaConnectionError, RecordTooLargeError

from shared.bus.errors import ErrorKind, TransientError, classify_error, make_classifier


@pytest.mark.parametrize(
    "exc",
    [
        ConnectionRefusedError(111, "refused"),
        ConnectionResetError(),
        TimeoutError(),
        OSError("network unreachable"),
        asyncpg.ConnectionDoesNotExistError("gone"),
        asyncpg.CannotConnectNowError("starting"),
        asyncpg.InterfaceError("connection is closed"),
        asyncpg.SerializationError("could not serialize"),
        asyncpg.DeadlockDetectedError("deadlock"),
        redis.exceptions.ConnectionError("refused"),
        redis.exceptions.TimeoutError("slow"),
        redis.exceptions.BusyLoadingError("loading"),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        KafkaConnectionError("no broker"),
        TransientError("influx says 503"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_infrastructure_errors_are_transient(exc):
    assert classify_error(exc) is ErrorKind.TRANSIENT


@pytest.mark.parametrize(
    "exc",
    [
        ValueError("bad"),
        KeyError("missing"),
        ZeroDivisionError(),
        FileNotFoundError("no such file"),
        PermissionError("denied"),
        asyncpg.DataError("invalid input for query argument"),
        asyncpg.UniqueViolationError("duplicate key"),
        redis.exceptions.ResponseError("WRONGTYPE"),
        RecordTooLargeError("too big"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_bugs_and_bad_data_are_permanent(exc):
    assert classify_error(exc) is ErrorKind.PERMANENT


class InvariantBroken(Exception):
    pass


class UpstreamBusy(Exception):
    pass


def test_a_service_can_extend_the_classifier():
    classify = make_classifier(
        transient=(UpstreamBusy,), permanent=(ConnectionAbortedError,), fatal=(InvariantBroken,)
    )
    assert classify(UpstreamBusy()) is ErrorKind.TRANSIENT
    assert classify(ConnectionAbortedError()) is ErrorKind.PERMANENT
    assert classify(InvariantBroken()) is ErrorKind.FATAL
    assert classify(ConnectionResetError()) is ErrorKind.TRANSIENT
    assert classify(ValueError()) is ErrorKind.PERMANENT
