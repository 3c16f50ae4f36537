"""Settings of the API gateway (environment variables ``TICKSTREAM_*``)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, field_validator

from shared.settings import SERVICE_PORTS, Dependency, ServiceSettings

_ANY_ADDRESS = frozenset({"", "0.0.0.0", "::"})


class ApiGatewaySettings(ServiceSettings):
    """The gateway's settings: the common ones plus where to find the other services."""

    service_name: ClassVar[str] = "api_gateway"
    dependencies: ClassVar[tuple[Dependency, ...]] = (
        Dependency.KAFKA,
        Dependency.POSTGRES,
        Dependency.REDIS,
    )

    service_urls: dict[str, str] = Field(
        default_factory=dict,
        description="Base URL per service (JSON), when not on this host at its usual port",
    )
    status_timeout_s: float = Field(default=1.0, gt=0)

    @field_validator("service_urls")
    @classmethod
    def _known_services(cls, urls: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(urls) - set(SERVICE_PORTS))
        if unknown:
            raise ValueError(
                f"unknown services {unknown}; expected some of {sorted(SERVICE_PORTS)}"
            )
        return {name: url.rstrip("/") for name, url in urls.items()}

    def service_url(self, service: str) -> str:
        """Base URL of one of the six services."""
        if service in self.service_urls:
            return self.service_urls[service]
        host = "127.0.0.1" if self.http_host in _ANY_ADDRESS else self.http_host
        return f"http://{host}:{self.service_port(service)}"
