"""Run a service: read its settings, serve it with uvicorn, stop cleanly on SIGTERM."""

from __future__ import annotations

import re
import signal
import sys
from collections.abc import Callable
from types import FrameType
from typing import TypeVar

import uvicorn
from fastapi import FastAPI
from pydantic import ValidationError
from pydantic_settings import SettingsError

from shared.observability.logging import configure_logging
from shared.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)

EXIT_OK = 0
EXIT_STARTUP_FAILED = 3
EXIT_BAD_SETTINGS = 2


def env_name(settings_type: type[ServiceSettings], field: str) -> str:
    """The environment variable that sets ``field`` of ``settings_type``."""
    info = settings_type.model_fields.get(field)
    alias = info.validation_alias if info is not None else None
    if isinstance(alias, str):
        return alias.upper()
    prefix = str(settings_type.model_config.get("env_prefix", ""))
    return f"{prefix}{field}".upper()


def describe_settings_error(settings_type: type[ServiceSettings], error: ValidationError) -> str:
    """A message naming each bad environment variable and what is wrong with it."""
    lines = [f"{settings_type.service_name}: invalid settings, refusing to start:"]
    for problem in error.errors(include_url=False, include_input=False):
        location = problem.get("loc", ())
        name = env_name(settings_type, str(location[0])) if location else None
        message = str(problem.get("msg", "invalid value")).removeprefix("Value error, ")
        lines.append(f"  {name}: {message}" if name else f"  {message}")
    return "\n".join(lines)


def describe_unparsable(settings_type: type[ServiceSettings], error: SettingsError) -> str:
    """A message for a value that could not even be parsed (e.g. bad JSON)."""
    found = re.search(r'field "([^"]+)"', str(error))
    name = env_name(settings_type, found.group(1)) if found else "a variable"
    return (
        f"{settings_type.service_name}: invalid settings, refusing to start:\n"
        f"  {name}: cannot be parsed (expected JSON for structured values)"
    )


def load_settings(settings_type: type[S]) -> S:
    """Read settings from the environment; print what is wrong and exit 2 if invalid."""
    try:
        return settings_type()
    except ValidationError as error:
        message = describe_settings_error(settings_type, error)
    except SettingsError as error:
        message = describe_unparsable(settings_type, error)
    print(message, file=sys.stderr)
    raise SystemExit(EXIT_BAD_SETTINGS)


def run(app_factory: Callable[[S], FastAPI], settings_type: type[S]) -> int:
    """Serve the app on ``http_host:http_port`` until SIGTERM/SIGINT; the exit status."""
    settings = load_settings(settings_type)
    configure_logging(settings.service_name, level=settings.log_level, json=settings.log_json)
    app = app_factory(settings)
    config = uvicorn.Config(
        app,
        host=settings.http_host,
        port=settings.http_port,
        lifespan="on",
        log_config=None,
        server_header=False,
        timeout_graceful_shutdown=int(max(1.0, settings.shutdown_timeout_s)),
    )
    server = uvicorn.Server(config)
    stop_signals: list[int] = []
    _absorb_signals(stop_signals)
    server.run()
    if not server.started:
        return EXIT_STARTUP_FAILED
    return EXIT_OK


def _absorb_signals(received: list[int]) -> None:
    # uvicorn handles SIGTERM/SIGINT itself (graceful shutdown), then re-raises the signal
    # with the previous handler in place. Without this handler the process would die of
    # that signal after a clean shutdown instead of exiting 0.
    def note(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    signal.signal(signal.SIGTERM, note)
    signal.signal(signal.SIGINT, note)
