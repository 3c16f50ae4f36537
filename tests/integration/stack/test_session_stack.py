"""The stack the integration tests run against, when it is the local stack."""

from __future__ import annotations

import pytest

from shared.stack import INFRA_NAMES
from tests.infra import Source
from tests.integration.conftest import unavailable

pytestmark = pytest.mark.integration


@pytest.fixture
def local(infra_source: Source) -> Source:
    if infra_source.stack is None:
        unavailable(f"servers come from {infra_source.kind}, not from the local stack")
    return infra_source


async def test_bringing_the_running_infrastructure_up_again_changes_nothing(local: Source) -> None:
    assert local.stack is not None
    before = {name: local.stack.components[name].running_pid() for name in INFRA_NAMES}

    report = await local.stack.up(infra_only=True)

    assert report.started == []
    assert report.created == []
    assert sorted(report.running) == sorted(INFRA_NAMES)
    assert {name: local.stack.components[name].running_pid() for name in INFRA_NAMES} == before


async def test_every_infrastructure_component_reports_ready(local: Source) -> None:
    assert local.stack is not None

    rows = await local.stack.status(infra_only=True)

    assert {row.name: row.state.value for row in rows} == dict.fromkeys(INFRA_NAMES, "ready")
