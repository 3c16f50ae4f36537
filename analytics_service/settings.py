"""Settings of the analytics service (environment variables ``TICKSTREAM_*``)."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import Dependency, ServiceSettings


class AnalyticsServiceSettings(ServiceSettings):
    """The analytics service's settings: the common ones plus its name and what it needs."""

    service_name: ClassVar[str] = "analytics_service"
    dependencies: ClassVar[tuple[Dependency, ...]] = (Dependency.KAFKA, Dependency.POSTGRES)
