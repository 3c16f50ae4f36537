"""Settings of the local stack and what they tell the services."""

from __future__ import annotations

import pytest

from shared.settings import CommonSettings
from shared.stack import SERVICES, StackSettings


def test_defaults_are_the_standard_ports() -> None:
    settings = StackSettings()

    assert settings.kafka_bootstrap == "127.0.0.1:9092"
    assert settings.postgres_dsn == "postgresql://tickstream:tickstream@127.0.0.1:5432/tickstream"
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.influx_url == "http://127.0.0.1:8086"
    assert settings.prometheus_url == "http://127.0.0.1:9090"


def test_ports_and_folder_come_from_tickstream_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKSTREAM_STACK_DIR", "/srv/elsewhere")
    monkeypatch.setenv("TICKSTREAM_KAFKA_PORT", "29092")
    monkeypatch.setenv("TICKSTREAM_ORDER_PROCESSOR_PORT", "28003")

    settings = StackSettings()

    assert str(settings.stack_dir) == "/srv/elsewhere"
    assert settings.kafka_bootstrap == "127.0.0.1:29092"
    assert settings.service_url("order_processor") == "http://127.0.0.1:28003"


def test_every_variable_given_to_services_is_one_they_read() -> None:
    read = {f"TICKSTREAM_{name.upper()}" for name in CommonSettings.model_fields}

    assert set(StackSettings().service_env()) <= read


def test_services_are_pointed_at_the_stack_and_each_other(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKSTREAM_POSTGRES_PORT", "25432")
    monkeypatch.setenv("TICKSTREAM_API_GATEWAY_PORT", "28000")
    env = StackSettings().service_env()

    common = CommonSettings.model_validate(
        {key.removeprefix("TICKSTREAM_").lower(): value for key, value in env.items()}
    )

    assert common.postgres_dsn.get_secret_value().endswith("@127.0.0.1:25432/tickstream")
    assert common.api_gateway_port == 28000
    assert {common.service_port(s) for s in SERVICES} == {
        StackSettings().service_port(s) for s in SERVICES
    }
