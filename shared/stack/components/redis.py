"""Redis from the distribution's package, append-only, data under the stack folder."""

from __future__ import annotations

import shutil

from shared.stack import probes
from shared.stack.components.base import Component
from shared.stack.errors import StackError
from shared.stack.process import Identity
from shared.stack.render import redis_config, write_if_changed


class RedisComponent(Component):
    """``redis-server <stack>/redis/redis.conf``."""

    @property
    def port_settings(self) -> tuple[str, ...]:
        return ("redis_port",)

    @property
    def url(self) -> str:
        return self.settings.redis_url

    @property
    def config_file(self) -> str:
        return str(self.home / "redis.conf")

    def identity(self) -> Identity:
        return Identity(("redis-server", self.config_file))

    def prepare(self) -> None:
        super().prepare()
        write_if_changed(self.home / "redis.conf", redis_config(self.settings, self.layout))

    def command(self) -> list[str]:
        binary = shutil.which("redis-server")
        if binary is None:
            raise StackError("redis-server is not installed; run `make setup`")
        return [binary, self.config_file]

    async def probe(self) -> None:
        await probes.redis(self.url)
