"""The supervisor keeps trying dependencies and reports each one's state."""

from __future__ import annotations

import logging

import pytest
from prometheus_client import CollectorRegistry

from shared.clock import FakeClock
from shared.observability.metrics import dependency_gauge
from shared.service.supervisor import Supervisor, describe
from tests.support.fake_resources import FakeResource, HangingResource, wait_until


def supervisor_for(*resources: FakeResource, **options: object) -> Supervisor:
    settings: dict[str, object] = {"interval_s": 0.01, "timeout_s": 0.2, "max_backoff_s": 0.02}
    settings.update(options)
    return Supervisor(list(resources), **settings)  # type: ignore[arg-type]


async def test_dependency_down_at_boot_is_retried_until_it_starts() -> None:
    kafka = FakeResource("kafka", available=False)
    supervisor = supervisor_for(kafka)
    supervisor.start()
    try:
        await wait_until(lambda: kafka.start_calls >= 3)
        assert not supervisor.ready
        assert supervisor.states()[0].last_error == "ConnectionRefusedError: kafka is down"
        kafka.available = True
        await wait_until(lambda: supervisor.ready)
        assert kafka.started
    finally:
        await supervisor.stop()


async def test_failed_start_releases_the_half_open_resource() -> None:
    redis = FakeResource("redis", available=False)
    supervisor = supervisor_for(redis)
    supervisor.start()
    try:
        await wait_until(lambda: redis.start_calls >= 1 and redis.closed)
    finally:
        await supervisor.stop()


async def test_failed_ping_marks_down_and_recovery_marks_up_with_new_since() -> None:
    clock = FakeClock(1_000)
    postgres = FakeResource("postgres")
    supervisor = supervisor_for(postgres, clock=clock)
    supervisor.start()
    try:
        await wait_until(lambda: supervisor.ready)
        clock.advance(500)
        postgres.available = False
        await wait_until(lambda: not supervisor.ready)
        down = supervisor.states()[0]
        assert (down.up, down.since_ns, down.last_error) == (
            False,
            1_500,
            "ConnectionRefusedError: postgres is down",
        )
        clock.advance(500)
        postgres.available = True
        await wait_until(lambda: supervisor.ready)
        up = supervisor.states()[0]
        assert (up.up, up.since_ns, up.last_error) == (True, 2_000, None)
    finally:
        await supervisor.stop()


async def test_ping_that_never_answers_counts_as_down() -> None:
    influx = HangingResource("influxdb")
    supervisor = supervisor_for(influx, timeout_s=0.05)
    supervisor.start()
    try:
        await wait_until(lambda: influx.ping_calls >= 1)
        await wait_until(lambda: supervisor.states()[0].last_error == "TimeoutError")
        assert not supervisor.ready
    finally:
        await supervisor.stop()


async def test_ready_only_when_every_dependency_is_up() -> None:
    kafka, redis = FakeResource("kafka"), FakeResource("redis", available=False)
    supervisor = supervisor_for(kafka, redis)
    supervisor.start()
    try:
        await wait_until(lambda: supervisor.states()[0].up)
        assert [s.up for s in supervisor.states()] == [True, False]
        assert not supervisor.ready
    finally:
        await supervisor.stop()


async def test_gauge_follows_each_dependency_state() -> None:
    registry = CollectorRegistry()
    kafka, redis = FakeResource("kafka"), FakeResource("redis", available=False)
    supervisor = supervisor_for(kafka, redis, gauge=dependency_gauge(registry))

    def value(name: str) -> float | None:
        return registry.get_sample_value("tickstream_dependency_up", {"dependency": name})

    assert (value("kafka"), value("redis")) == (0.0, 0.0)
    supervisor.start()
    try:
        await wait_until(lambda: value("kafka") == 1.0)
        assert value("redis") == 0.0
        redis.available = True
        await wait_until(lambda: value("redis") == 1.0)
    finally:
        await supervisor.stop()


async def test_repeated_failures_are_logged_once_per_state_change(
    caplog: pytest.LogCaptureFixture,
) -> None:
    redis = FakeResource("redis")
    supervisor = supervisor_for(redis)
    caplog.set_level(logging.INFO, logger="shared.service.supervisor")
    supervisor.start()
    try:
        await wait_until(lambda: supervisor.ready)
        redis.available = False
        await wait_until(lambda: not supervisor.ready)
        pings = redis.ping_calls
        await wait_until(lambda: redis.ping_calls >= pings + 5)
        redis.available = True
        await wait_until(lambda: supervisor.ready)
    finally:
        await supervisor.stop()
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "dependency redis is up",
        "dependency redis is down: ConnectionRefusedError: redis is down",
        "dependency redis is up",
    ]


async def test_stop_ends_all_checks() -> None:
    kafka = FakeResource("kafka")
    supervisor = supervisor_for(kafka)
    supervisor.start()
    await wait_until(lambda: kafka.ping_calls >= 2)
    await supervisor.stop()
    calls = kafka.ping_calls
    supervisor_idle = FakeResource("probe")
    # Let the loop run a while: a stopped supervisor must not ping again.
    other = supervisor_for(supervisor_idle)
    other.start()
    await wait_until(lambda: supervisor_idle.ping_calls >= 5)
    await other.stop()
    assert kafka.ping_calls == calls


def test_duplicate_dependency_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        supervisor_for(FakeResource("kafka"), FakeResource("kafka"))


def test_no_dependencies_means_ready() -> None:
    assert supervisor_for().ready


def test_describe_keeps_the_first_line_of_the_error() -> None:
    assert describe(OSError("refused\nmore detail")) == "OSError: refused"
    assert describe(TimeoutError()) == "TimeoutError"
