"""Settings of the market data engine (environment variables ``TICKSTREAM_*``)."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import Dependency, ServiceSettings


class MarketDataEngineSettings(ServiceSettings):
    """The market data engine's settings: the common ones plus its name and what it needs."""

    service_name: ClassVar[str] = "market_data_engine"
    dependencies: ClassVar[tuple[Dependency, ...]] = (
        Dependency.KAFKA,
        Dependency.REDIS,
        Dependency.INFLUXDB,
    )
