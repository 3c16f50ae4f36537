"""InfluxDB 1.x from the distribution's package; creates the stack's database."""

from __future__ import annotations

import shutil

from shared.stack import probes
from shared.stack.components.base import Component
from shared.stack.errors import StackError
from shared.stack.process import Identity
from shared.stack.render import influx_config, write_if_changed


class InfluxComponent(Component):
    """``influxd -config <stack>/influxdb/influxdb.conf``."""

    @property
    def port_settings(self) -> tuple[str, ...]:
        return ("influx_port", "influx_rpc_port")

    @property
    def url(self) -> str:
        return self.settings.influx_url

    @property
    def config_file(self) -> str:
        return str(self.home / "influxdb.conf")

    def identity(self) -> Identity:
        return Identity(("influxd", self.config_file))

    def prepare(self) -> None:
        super().prepare()
        write_if_changed(self.home / "influxdb.conf", influx_config(self.settings, self.layout))

    def command(self) -> list[str]:
        binary = shutil.which("influxd")
        if binary is None:
            raise StackError("influxd is not installed; run `make setup`")
        return [binary, "-config", self.config_file]

    async def probe(self) -> None:
        await probes.http_status(f"{self.url}/ping", 204)

    async def provision(self) -> list[str]:
        """``CREATE DATABASE`` (a no-op in InfluxDB when it exists)."""
        database = self.settings.database
        query = f'CREATE DATABASE "{database}"'
        import httpx

        async with httpx.AsyncClient(timeout=probes.PROBE_TIMEOUT_S) as client:
            response = await client.post(f"{self.url}/query", data={"q": query})
        response.raise_for_status()
        errors = [r["error"] for r in response.json().get("results", []) if "error" in r]
        if errors:
            raise StackError(f"InfluxDB refused {query}: {errors[0]}")
        return []
