"""One of the six Tickstream services, run as ``python -m <package>`` against the stack."""

from __future__ import annotations

import os
import sys

from shared.stack import probes
from shared.stack.components.base import Component, Kind
from shared.stack.process import Identity

STACK_DIR_VARIABLE = "TICKSTREAM_STACK_DIR"


class ServiceComponent(Component):
    """A service process started with the virtual environment's Python."""

    kind = Kind.SERVICE

    @property
    def port_settings(self) -> tuple[str, ...]:
        return (f"{self.name}_port",)

    @property
    def url(self) -> str:
        return self.settings.service_url(self.name)

    @property
    def timeout_s(self) -> float:
        return self.settings.service_timeout_s

    def identity(self) -> Identity:
        # "python -m api_gateway" could be anyone's; our environment marker is not.
        return Identity((f"-m {self.name}",), {STACK_DIR_VARIABLE: str(self.layout.root)})

    def command(self) -> list[str]:
        return [sys.executable, "-m", self.name]

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            **self.settings.service_env(),
            STACK_DIR_VARIABLE: str(self.layout.root),
            "PYTHONUNBUFFERED": "1",
        }

    async def probe(self) -> None:
        await probes.http_status(f"{self.url}/ready", 200)
