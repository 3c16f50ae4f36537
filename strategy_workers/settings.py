"""Settings of the strategy workers (environment variables ``TICKSTREAM_*``)."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import Dependency, ServiceSettings


class StrategyWorkersSettings(ServiceSettings):
    """The strategy workers's settings: the common ones plus its name and what it needs."""

    service_name: ClassVar[str] = "strategy_workers"
    dependencies: ClassVar[tuple[Dependency, ...]] = (
        Dependency.KAFKA,
        Dependency.POSTGRES,
        Dependency.INFLUXDB,
    )
