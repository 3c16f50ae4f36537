"""Prometheus from the distribution's package, scraping the six services."""

from __future__ import annotations

import shutil

from shared.stack import probes
from shared.stack.components.base import Component
from shared.stack.errors import StackError
from shared.stack.process import Identity
from shared.stack.render import prometheus_config, write_if_changed
from shared.stack.settings import HOST


class PrometheusComponent(Component):
    """``prometheus --config.file=<stack>/prometheus/prometheus.yml``."""

    @property
    def port_settings(self) -> tuple[str, ...]:
        return ("prometheus_port",)

    @property
    def url(self) -> str:
        return self.settings.prometheus_url

    @property
    def config_file(self) -> str:
        return str(self.home / "prometheus.yml")

    def identity(self) -> Identity:
        return Identity(("prometheus", f"--config.file={self.config_file}"))

    def prepare(self) -> None:
        super().prepare()
        write_if_changed(self.home / "prometheus.yml", prometheus_config(self.settings))

    def command(self) -> list[str]:
        binary = shutil.which("prometheus")
        if binary is None:
            raise StackError("prometheus is not installed; run `make setup`")
        return [
            binary,
            f"--config.file={self.config_file}",
            f"--storage.tsdb.path={self.home / 'data'}",
            f"--web.listen-address={HOST}:{self.settings.prometheus_port}",
        ]

    async def probe(self) -> None:
        await probes.http_status(f"{self.url}/-/ready", 200)
