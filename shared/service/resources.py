"""One ``Resource`` per dependency a service declares, built from its settings."""

from __future__ import annotations

from collections.abc import Callable

from shared.bus.producer import KafkaPublisher
from shared.cache import Cache
from shared.db.pool import Database
from shared.resources import Resource
from shared.settings import Dependency, ServiceSettings
from shared.tsdb import InfluxDB


def kafka(settings: ServiceSettings) -> Resource:
    """The Kafka producer (idempotent, acks=all)."""
    return KafkaPublisher(
        settings.kafka_bootstrap_servers,
        client_id=f"{settings.kafka_client_id_prefix}-{settings.service_name}",
        ping_timeout_s=settings.dependency_check_timeout_s,
    )


def postgres(settings: ServiceSettings) -> Resource:
    """The asyncpg pool."""
    return Database.from_settings(settings)


def redis(settings: ServiceSettings) -> Resource:
    """The Redis client."""
    return Cache.from_settings(settings)


def influxdb(settings: ServiceSettings) -> Resource:
    """The InfluxDB v1-API client."""
    return InfluxDB.from_settings(settings)


BUILDERS: dict[Dependency, Callable[[ServiceSettings], Resource]] = {
    Dependency.KAFKA: kafka,
    Dependency.POSTGRES: postgres,
    Dependency.REDIS: redis,
    Dependency.INFLUXDB: influxdb,
}


def resources_for(settings: ServiceSettings) -> list[Resource]:
    """Unstarted resources for each of ``settings.dependencies``, in that order."""
    return [BUILDERS[dependency](settings) for dependency in settings.dependencies]
