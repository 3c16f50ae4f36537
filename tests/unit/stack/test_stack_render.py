"""Configuration files rendered for the stack's servers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from shared.stack import SERVICES, StackSettings
from shared.stack.layout import StackLayout
from shared.stack.render import (
    fill,
    influx_config,
    kafka_properties,
    prometheus_config,
    redis_config,
)

ROOT = Path("/srv/ts-stack")


@pytest.fixture
def settings() -> StackSettings:
    return StackSettings(
        stack_dir=ROOT,
        kafka_port=19092,
        kafka_controller_port=19093,
        redis_port=16379,
        influx_port=18086,
        influx_rpc_port=18088,
        prometheus_port=19090,
        api_gateway_port=18000,
    )


def properties(text: str) -> dict[str, str]:
    lines = (line for line in text.splitlines() if line and not line.startswith("#"))
    return {key: value for key, _, value in (line.partition("=") for line in lines)}


def test_kafka_is_a_single_kraft_node_on_the_configured_ports(settings: StackSettings) -> None:
    props = properties(kafka_properties(settings, StackLayout(ROOT)))

    assert props["process.roles"] == "broker,controller"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
    assert props["advertised.listeners"] == "PLAINTEXT://127.0.0.1:19092"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:19093"
    assert props["log.dirs"] == f"{ROOT}/kafka/data"


def test_kafka_suits_one_node_and_declared_topics_only(settings: StackSettings) -> None:
    props = properties(kafka_properties(settings, StackLayout(ROOT)))

    assert props["offsets.topic.replication.factor"] == "1"
    assert props["transaction.state.log.replication.factor"] == "1"
    assert props["group.initial.rebalance.delay.ms"] == "0"
    assert props["auto.create.topics.enable"] == "false"


def test_influx_binds_both_ports_to_loopback_and_keeps_data_in_the_stack(
    settings: StackSettings,
) -> None:
    text = influx_config(settings, StackLayout(ROOT))

    assert 'bind-address = "127.0.0.1:18088"' in text
    assert 'bind-address = "127.0.0.1:18086"' in text
    assert f'wal-dir = "{ROOT}/influxdb/wal"' in text
    assert "reporting-disabled = true" in text


def test_redis_is_append_only_on_loopback_in_the_stack_folder(settings: StackSettings) -> None:
    lines = redis_config(settings, StackLayout(ROOT)).splitlines()

    assert "port 16379" in lines
    assert "bind 127.0.0.1" in lines
    assert f"dir {ROOT}/redis" in lines
    assert "appendonly yes" in lines


def test_prometheus_scrapes_itself_and_every_service_on_its_port(settings: StackSettings) -> None:
    config = yaml.safe_load(prometheus_config(settings))

    targets = {
        job["job_name"]: job["static_configs"][0]["targets"] for job in config["scrape_configs"]
    }
    assert set(targets) == {"prometheus", *SERVICES}
    assert targets["prometheus"] == ["127.0.0.1:19090"]
    assert targets["api_gateway"] == ["127.0.0.1:18000"]
    assert targets["strategy_workers"] == ["127.0.0.1:8005"]


def test_rendered_files_leave_no_placeholder(settings: StackSettings) -> None:
    layout = StackLayout(ROOT)
    texts = [
        kafka_properties(settings, layout),
        influx_config(settings, layout),
        redis_config(settings, layout),
        prometheus_config(settings),
    ]

    assert not [text for text in texts if "${" in text]


def test_a_missing_template_value_is_an_error_not_a_blank() -> None:
    with pytest.raises(KeyError):
        fill("port ${port} bind ${host}", port=1)
