"""Configuration files of the stack's servers, rendered from templates in ``deploy/local``."""

from __future__ import annotations

from pathlib import Path
from string import Template

from shared.stack.layout import StackLayout
from shared.stack.settings import HOST, SERVICES, StackSettings


def template(settings: StackSettings, name: str) -> str:
    return (settings.repo_root / "deploy" / "local" / name).read_text()


def fill(text: str, **values: object) -> str:
    """Substitute ``${name}`` placeholders; a missing value is an error, not a blank."""
    return Template(text).substitute({key: str(value) for key, value in values.items()})


def kafka_properties(settings: StackSettings, layout: StackLayout) -> str:
    return fill(
        template(settings, "server.properties"),
        host=HOST,
        port=settings.kafka_port,
        controller_port=settings.kafka_controller_port,
        data_dir=layout.home("kafka") / "data",
    )


def influx_config(settings: StackSettings, layout: StackLayout) -> str:
    return fill(
        template(settings, "influxdb.conf"),
        host=HOST,
        port=settings.influx_port,
        rpc_port=settings.influx_rpc_port,
        home=layout.home("influxdb"),
    )


def redis_config(settings: StackSettings, layout: StackLayout) -> str:
    return fill(
        template(settings, "redis.conf"),
        host=HOST,
        port=settings.redis_port,
        home=layout.home("redis"),
    )


def prometheus_config(settings: StackSettings) -> str:
    jobs = "".join(
        f'  - job_name: {service}\n    static_configs:\n      - targets: ["{HOST}:'
        f'{settings.service_port(service)}"]\n'
        for service in SERVICES
    )
    return fill(
        template(settings, "prometheus.yml"),
        host=HOST,
        port=settings.prometheus_port,
        service_jobs=jobs.rstrip("\n"),
    )


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` unless the file already holds it; True when it changed."""
    if path.exists() and path.read_text() == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return True
