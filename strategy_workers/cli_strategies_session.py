"""Running a ``tickstream strategy`` command: the store on the configured Postgres, the
control topic on Kafka, and every failure turned into one line with exit code 2."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from strategy_workers.cli_strategies_options import fail

if TYPE_CHECKING:
    from shared.db.strategies import StrategyStore
    from shared.messages.envelope import Envelope, Payload
    from shared.settings import CommonSettings
    from shared.strategy.definition import StrategyDefinition

T = TypeVar("T")
PRODUCER = "tickstream-cli"

ControlTopic = Annotated[
    str,
    typer.Option(
        "--topic",
        envvar="TICKSTREAM_STRATEGY_CONTROL_TOPIC",
        help="The control topic the strategy workers read.",
    ),
]


def load_settings() -> CommonSettings:
    """The ``TICKSTREAM_*`` settings; a bad one is a clear error."""
    import pydantic

    from shared.settings import CommonSettings

    try:
        return CommonSettings()
    except pydantic.ValidationError as exc:
        raise fail(f"invalid TICKSTREAM_* setting: {exc}") from None


def with_store(work: Callable[[StrategyStore], Awaitable[T]]) -> T:
    """Run ``work`` with a store on the configured Postgres; errors as one line, exit 2."""
    import asyncpg
    import pydantic
    from aiokafka.errors import KafkaError

    from shared.db.pool import Database
    from shared.db.strategies import StrategyStore

    settings = load_settings()
    db = Database(settings.postgres_dsn.get_secret_value(), min_size=1, max_size=2)

    async def run() -> T:
        await db.start()
        try:
            return await work(StrategyStore(db.pool))
        finally:
            await db.close()

    try:
        return asyncio.run(run())
    except asyncpg.UndefinedTableError:
        raise fail("the strategy tables are missing: run `tickstream migrate`") from None
    except pydantic.ValidationError as exc:
        raise fail(_one_line(exc)) from None
    except KafkaError as exc:
        where = settings.kafka_bootstrap_servers
        raise fail(f"Kafka at {where} cannot be reached: {exc!r}") from None
    except ValueError as exc:
        raise fail(str(exc)) from None
    except (OSError, TimeoutError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError) as exc:
        raise fail(f"Postgres cannot be reached: {exc!r}") from None
    except asyncpg.PostgresError as exc:
        raise fail(f"Postgres refused it: {exc}") from None


async def owned(
    store: StrategyStore, strategy_id: uuid.UUID, user_id: uuid.UUID | None
) -> StrategyDefinition:
    """The strategy's newest version; "not found" when it is not ``user_id``'s."""
    from shared.db.strategies import StrategyNotFound

    found = await store.definition(strategy_id)
    if found is None or user_id not in (None, found.user_id):
        whose = "" if user_id is None else f" for user {user_id}"
        raise StrategyNotFound(f"strategy {strategy_id} not found{whose}")
    return found


def _one_line(exc: Exception) -> str:
    import pydantic

    assert isinstance(exc, pydantic.ValidationError)
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"])
        text = error["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {text}" if where else text)
    return "; ".join(parts)


async def publish(
    bootstrap: str, topic: str, payload: Payload, timeout_s: float
) -> Envelope[Payload]:
    """Publish one control command (acknowledged by the brokers); its envelope."""
    from aiokafka.errors import KafkaError

    from shared.bus.producer import KafkaPublisher
    from shared.clock import SystemClock
    from shared.messages.envelope import new_envelope

    # Failed connection attempts are reported by the exception; aiokafka's logs would repeat them.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    publisher = KafkaPublisher(bootstrap, client_id=PRODUCER, linger_ms=0)
    envelope: Envelope[Payload] = new_envelope(payload, clock=SystemClock(), producer=PRODUCER)
    try:
        async with asyncio.timeout(timeout_s):
            await publisher.start()
            await publisher.publish(envelope, topic=topic)
    except TimeoutError:
        raise KafkaError(f"no acknowledgement within {timeout_s:g} s") from None
    finally:
        await publisher.close()
    return envelope
