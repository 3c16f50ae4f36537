"""The servers of the local stack, in start order."""

from __future__ import annotations

from shared.stack.components.base import Component, Kind
from shared.stack.components.demo_feed import DemoFeedComponent
from shared.stack.components.influxdb import InfluxComponent
from shared.stack.components.kafka import KafkaComponent
from shared.stack.components.postgres import PostgresComponent
from shared.stack.components.prometheus import PrometheusComponent
from shared.stack.components.redis import RedisComponent
from shared.stack.components.service import ServiceComponent
from shared.stack.layout import StackLayout
from shared.stack.settings import SERVICES, StackSettings

INFRA: dict[str, type[Component]] = {
    "postgres": PostgresComponent,
    "redis": RedisComponent,
    "influxdb": InfluxComponent,
    "kafka": KafkaComponent,
    "prometheus": PrometheusComponent,
}
INFRA_NAMES: tuple[str, ...] = tuple(INFRA)
DEMO_NAMES: tuple[str, ...] = ("demo_feed",)
ALL_NAMES: tuple[str, ...] = INFRA_NAMES + SERVICES + DEMO_NAMES


def build(settings: StackSettings, layout: StackLayout) -> dict[str, Component]:
    """Every component of the stack, infrastructure first, by name."""
    components: dict[str, Component] = {
        name: cls(name, settings, layout) for name, cls in INFRA.items()
    }
    for service in SERVICES:
        components[service] = ServiceComponent(service, settings, layout)
    components["demo_feed"] = DemoFeedComponent("demo_feed", settings, layout)
    return components


__all__ = ["ALL_NAMES", "INFRA_NAMES", "Component", "Kind", "build"]
