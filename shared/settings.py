"""Settings for every service, read from environment variables (prefix ``TICKSTREAM_``).

One base class holds what all services share: where Kafka, Postgres, Redis and InfluxDB
are, and the HTTP ports of the six services. Each service subclasses it. Secrets are
``SecretStr``; a placeholder secret outside development refuses to start.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "secret", "tickstream-dev-secret"})


class Environment(StrEnum):
    """Where the process runs; only development tolerates placeholder secrets."""

    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class Dependency(StrEnum):
    """Infrastructure a service may need in order to be ready."""

    KAFKA = "kafka"
    POSTGRES = "postgres"
    REDIS = "redis"
    INFLUXDB = "influxdb"


SERVICE_PORTS: dict[str, int] = {
    "api_gateway": 8000,
    "websocket_service": 8001,
    "market_data_engine": 8002,
    "order_processor": 8003,
    "analytics_service": 8004,
    "strategy_workers": 8005,
}


class CommonSettings(BaseSettings):
    """Settings every Tickstream process reads."""

    model_config = SettingsConfigDict(
        env_prefix="TICKSTREAM_", env_file=".env", extra="ignore", frozen=True
    )

    environment: Environment = Environment.DEVELOPMENT
    log_level: str = "INFO"
    log_json: bool = True

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_client_id_prefix: str = "tickstream"

    postgres_dsn: SecretStr = SecretStr(
        "postgresql://tickstream:tickstream@127.0.0.1:5432/tickstream"
    )
    postgres_pool_min: int = Field(default=1, ge=0)
    postgres_pool_max: int = Field(default=10, ge=1)

    redis_url: SecretStr = SecretStr("redis://127.0.0.1:6379/0")

    influx_url: str = "http://127.0.0.1:8086"
    influx_database: str = "tickstream"
    influx_token: SecretStr | None = None
    influx_username: str | None = None
    influx_password: SecretStr | None = None

    jwt_secret: SecretStr = SecretStr("tickstream-dev-secret")

    http_host: str = "127.0.0.1"
    api_gateway_port: int = SERVICE_PORTS["api_gateway"]
    websocket_service_port: int = SERVICE_PORTS["websocket_service"]
    market_data_engine_port: int = SERVICE_PORTS["market_data_engine"]
    order_processor_port: int = SERVICE_PORTS["order_processor"]
    analytics_service_port: int = SERVICE_PORTS["analytics_service"]
    strategy_workers_port: int = SERVICE_PORTS["strategy_workers"]

    dependency_check_interval_s: float = Field(default=1.0, gt=0)
    dependency_check_timeout_s: float = Field(default=2.0, gt=0)
    shutdown_timeout_s: float = Field(default=20.0, gt=0)

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> CommonSettings:
        if self.environment is Environment.DEVELOPMENT:
            return self
        if self.jwt_secret.get_secret_value() in PLACEHOLDER_SECRETS:
            raise ValueError(
                "TICKSTREAM_JWT_SECRET is a placeholder; set a real secret outside development"
            )
        return self

    def service_port(self, service: str) -> int:
        """HTTP port of one of the six services."""
        port: int = getattr(self, f"{service}_port")
        return port


class ServiceSettings(CommonSettings):
    """Base of each service's settings: its name and what it needs to be ready."""

    service_name: ClassVar[str]
    dependencies: ClassVar[tuple[Dependency, ...]]

    @property
    def http_port(self) -> int:
        return self.service_port(self.service_name)
