"""Settings of the order processor (environment variables ``TICKSTREAM_*``)."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import Dependency, ServiceSettings


class OrderProcessorSettings(ServiceSettings):
    """The order processor's settings: the common ones plus its name and what it needs."""

    service_name: ClassVar[str] = "order_processor"
    dependencies: ClassVar[tuple[Dependency, ...]] = (
        Dependency.KAFKA,
        Dependency.POSTGRES,
        Dependency.REDIS,
    )
