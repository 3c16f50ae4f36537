"""The demo market: the engine's seeded synthetic feed, trading around the clock."""

from __future__ import annotations

import sys

from shared.stack import probes
from shared.stack.components.service import STACK_DIR_VARIABLE, ServiceComponent
from shared.stack.process import Identity
from shared.stack.settings import HOST

MODULE = "market_data_engine.feeds"


class DemoFeedComponent(ServiceComponent):
    """``python -m market_data_engine.feeds synthetic`` publishing to ``marketdata.trades``.

    It trades outside session hours too (``--always-open``), so the demo has a live market
    on any day; its metrics (feed health included) are served on ``demo_feed_port``.
    """

    @property
    def port_settings(self) -> tuple[str, ...]:
        return ("demo_feed_port",)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.settings.demo_feed_port}"

    def identity(self) -> Identity:
        return Identity((f"-m {MODULE}",), {STACK_DIR_VARIABLE: str(self.layout.root)})

    def command(self) -> list[str]:
        s = self.settings
        return [
            *(sys.executable, "-m", MODULE, "synthetic", "--symbols", s.demo_symbols),
            *("--seed", str(s.demo_seed), "--speed", "1", "--always-open"),
            *("--metrics-port", str(s.demo_feed_port)),
        ]

    async def probe(self) -> None:
        await probes.http_status(f"{self.url}/metrics", 200)
