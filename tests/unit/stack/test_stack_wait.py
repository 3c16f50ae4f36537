"""Waiting for a server: success once it answers, a clear error when it never does."""

from __future__ import annotations

import pytest

from shared.stack import StartupError
from shared.stack.wait import wait_ready


async def test_waiting_ends_when_the_probe_first_succeeds() -> None:
    calls: list[int] = []

    async def probe() -> None:
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionRefusedError("not yet")

    await wait_ready("redis", probe, timeout_s=30)

    assert len(calls) == 3


async def test_a_server_that_never_answers_fails_with_its_name_and_last_error() -> None:
    async def probe() -> None:
        raise ConnectionRefusedError("connection refused")

    with pytest.raises(StartupError) as failure:
        await wait_ready("influxdb", probe, timeout_s=0.3)

    assert failure.value.component == "influxdb"
    assert "connection refused" in str(failure.value)
