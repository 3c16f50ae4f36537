"""Where the local stack keeps its data and which ports it uses (``TICKSTREAM_*`` variables)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.settings import SERVICE_PORTS

REPO_ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
SERVICES: tuple[str, ...] = tuple(SERVICE_PORTS)


class StackSettings(BaseSettings):
    """Settings of the local stack: its folder, its ports and how long to wait for it."""

    model_config = SettingsConfigDict(
        env_prefix="TICKSTREAM_", env_file=".env", extra="ignore", frozen=True
    )

    stack_dir: Path = REPO_ROOT / ".stack"
    repo_root: Path = REPO_ROOT

    kafka_port: int = 9092
    kafka_controller_port: int = 9093
    kafka_heap: str = "1g"
    postgres_port: int = 5432
    redis_port: int = 6379
    influx_port: int = 8086
    influx_rpc_port: int = 8088
    prometheus_port: int = 9090

    api_gateway_port: int = SERVICE_PORTS["api_gateway"]
    websocket_service_port: int = SERVICE_PORTS["websocket_service"]
    market_data_engine_port: int = SERVICE_PORTS["market_data_engine"]
    order_processor_port: int = SERVICE_PORTS["order_processor"]
    analytics_service_port: int = SERVICE_PORTS["analytics_service"]
    strategy_workers_port: int = SERVICE_PORTS["strategy_workers"]

    demo_feed_port: int = 8006
    demo_symbols: str = "ESZ6,NQZ6,CLF7,GCG7"
    demo_seed: int = 7

    database: str = "tickstream"
    db_user: str = "tickstream"
    db_password: str = "tickstream"

    infra_timeout_s: float = Field(default=120.0, gt=0)
    service_timeout_s: float = Field(default=90.0, gt=0)
    stop_timeout_s: float = Field(default=30.0, gt=0)

    def service_port(self, service: str) -> int:
        """HTTP port of one of the six services."""
        port: int = getattr(self, f"{service}_port")
        return port

    @property
    def kafka_bootstrap(self) -> str:
        return f"{HOST}:{self.kafka_port}"

    @property
    def postgres_dsn(self) -> str:
        user, password = self.db_user, self.db_password
        return f"postgresql://{user}:{password}@{HOST}:{self.postgres_port}/{self.database}"

    @property
    def redis_url(self) -> str:
        return f"redis://{HOST}:{self.redis_port}/0"

    @property
    def influx_url(self) -> str:
        return f"http://{HOST}:{self.influx_port}"

    @property
    def prometheus_url(self) -> str:
        return f"http://{HOST}:{self.prometheus_port}"

    def service_url(self, service: str) -> str:
        return f"http://{HOST}:{self.service_port(service)}"

    def service_env(self) -> dict[str, str]:
        """The variables that point a service (``CommonSettings``) at this stack."""
        env = {
            "TICKSTREAM_KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap,
            "TICKSTREAM_POSTGRES_DSN": self.postgres_dsn,
            "TICKSTREAM_REDIS_URL": self.redis_url,
            "TICKSTREAM_INFLUX_URL": self.influx_url,
            "TICKSTREAM_INFLUX_DATABASE": self.database,
            "TICKSTREAM_HTTP_HOST": HOST,
        }
        for service in SERVICES:
            env[f"TICKSTREAM_{service.upper()}_PORT"] = str(self.service_port(service))
        return env
