"""Finding taken and doubly configured ports before anything starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.stack import (
    INFRA_NAMES,
    SERVICES,
    PortConflict,
    PortConflictError,
    Stack,
    StackError,
    StackSettings,
)
from shared.stack.ports import find_conflicts, find_duplicates

PAIRS = [("kafka", 9092), ("kafka", 9093), ("postgres", 5432), ("redis", 6379)]
NEEDED = [PortConflict(name, port) for name, port in PAIRS]


def test_only_the_taken_ports_are_reported_with_their_component() -> None:
    taken = {9093, 6379}

    conflicts = find_conflicts(NEEDED, taken=lambda port: port in taken)

    assert conflicts == [PortConflict("kafka", 9093), PortConflict("redis", 6379)]


def test_no_conflict_when_every_port_is_free() -> None:
    assert find_conflicts(NEEDED, taken=lambda port: False) == []


def test_the_conflict_message_names_each_port_and_component() -> None:
    message = str(PortConflictError([PortConflict("redis", 6379), PortConflict("kafka", 9093)]))

    assert "port 6379 (redis) is already in use" in message
    assert "port 9093 (kafka) is already in use" in message
    assert "nothing was started" in message


def test_a_conflict_names_the_variable_that_moves_the_port() -> None:
    [kafka_controller] = Stack(StackSettings()).components["kafka"].needs_ports()[1:]

    assert kafka_controller == PortConflict("kafka", 9093, "TICKSTREAM_KAFKA_CONTROLLER_PORT")
    assert "TICKSTREAM_KAFKA_CONTROLLER_PORT chooses another" in str(
        PortConflictError([kafka_controller])
    )


def test_a_port_configured_for_two_components_is_found() -> None:
    duplicates = find_duplicates([*PAIRS, ("influxdb", 5432)])

    assert duplicates == ["port 5432: postgres and influxdb"]


def test_default_ports_are_distinct() -> None:
    stack = Stack(StackSettings())

    assert find_duplicates((c.name, p) for c in stack.select() for p in c.ports) == []


async def test_up_refuses_ports_configured_twice_before_creating_anything(tmp_path: Path) -> None:
    stack = Stack(StackSettings(stack_dir=tmp_path / "stack", redis_port=5432))

    with pytest.raises(StackError, match="port 5432: postgres and redis"):
        await stack.up()
    assert not (tmp_path / "stack").exists()


def test_selecting_infra_only_leaves_the_services_out_in_start_order() -> None:
    stack = Stack(StackSettings())

    assert [c.name for c in stack.select(infra_only=True)] == list(INFRA_NAMES)
    assert [c.name for c in stack.select()] == [*INFRA_NAMES, *SERVICES, "demo_feed"]


def test_an_unknown_component_is_an_error() -> None:
    with pytest.raises(StackError, match="unknown component zookeeper"):
        Stack(StackSettings()).select(["redis", "zookeeper"])
