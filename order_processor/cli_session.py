"""Running one order command from the command line: settings, the bus exchange, exit codes."""

from __future__ import annotations

import asyncio
import time
from typing import NoReturn

import pydantic
import typer
from aiokafka.errors import KafkaError

from order_processor.cli_bus import ChannelError, OrderChannel
from order_processor.cli_format import event_line
from order_processor.cli_options import Exit, fail
from order_processor.cli_wait import Conversation
from order_processor.settings import OrderProcessorSettings
from shared.messages.codec import encode
from shared.messages.envelope import Envelope, Payload
from shared.messages.schemas.orders import SubmitOrder

ANY_HOST = ("", "0.0.0.0", "::")


def load_settings() -> OrderProcessorSettings:
    """The order processor's settings (``TICKSTREAM_*``); a bad one is a clear error."""
    try:
        return OrderProcessorSettings()
    except pydantic.ValidationError as exc:
        raise fail(f"invalid TICKSTREAM_* setting:\n{exc}", Exit.UNAVAILABLE) from None


def api_base(settings: OrderProcessorSettings, override: str | None = None) -> str:
    """Where the order processor's HTTP API answers."""
    if override:
        return override.rstrip("/")
    host = "127.0.0.1" if settings.http_host in ANY_HOST else settings.http_host
    return f"http://{host}:{settings.order_processor_port}"


def exchange(
    payload: Payload,
    *,
    timeout_s: float,
    follow: bool = False,
    as_json: bool = False,
    listen_s: float | None = None,
) -> Conversation:
    """Publish ``payload`` and print what answers it, for ``listen_s`` (default: the timeout)
    at most. Kafka out of reach exits with ``Exit.UNAVAILABLE``."""
    settings = load_settings()

    def show(envelope: Envelope[Payload]) -> None:
        typer.echo(encode(envelope).decode() if as_json else event_line(envelope.payload))

    async def run() -> Conversation:
        deadline = time.monotonic() + timeout_s
        channel = OrderChannel(
            settings.kafka_bootstrap_servers,
            settings.orders_commands_topic,
            settings.orders_events_topic,
        )
        async with asyncio.timeout(deadline - time.monotonic()):
            await channel.start()
        try:
            async with asyncio.timeout(deadline - time.monotonic()):
                envelope = await channel.send(payload)
            submit = isinstance(payload, SubmitOrder)
            conversation = Conversation(envelope.message_id, submit=submit, follow=follow)
            if listen_s is not None:
                deadline = min(deadline, time.monotonic() + listen_s)
            await channel.listen(conversation, deadline, show)
            return conversation
        finally:
            await channel.close()

    try:
        return asyncio.run(run())
    except (KafkaError, OSError, TimeoutError) as exc:
        where = settings.kafka_bootstrap_servers
        detail = f"no answer within {timeout_s:g} s" if isinstance(exc, TimeoutError) else exc
        raise fail(f"Kafka at {where} cannot be reached: {detail}", Exit.UNAVAILABLE) from None
    except ChannelError as exc:
        raise fail(str(exc), Exit.UNAVAILABLE) from None


def finish(conversation: Conversation, timeout_s: float, *, as_json: bool = False) -> NoReturn:
    """Exit with the conversation's outcome, saying what went wrong if anything did (a
    rejection printed as a readable line already is not repeated)."""
    code, message = conversation.outcome(timeout_s)
    if message and (as_json or conversation.rejection is None):
        raise fail(message, code)
    raise typer.Exit(int(code))
