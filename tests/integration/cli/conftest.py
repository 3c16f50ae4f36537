"""The `tickstream` CLI against the real servers and the running order processor."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner, Result

from shared.cli.main import app
from shared.settings import CommonSettings
from tests.infra import Endpoints
from tests.integration.conftest import unavailable

LEDGER_ROUTE = "/api/v1/accounts/{account_id}/orders"


@dataclass(frozen=True)
class Cli:
    """Runs `tickstream ...` in process, pointed at the integration servers."""

    env: dict[str, str]

    def __call__(self, *args: str) -> Result:
        return CliRunner().invoke(app, list(args), env=self.env)

    def events(self, *args: str) -> tuple[int, list[dict[str, Any]]]:
        """Exit code and the events printed by an order command run with --json."""
        result = self(*args, "--json")
        lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
        return result.exit_code, [json.loads(line) for line in lines]

    def answer(self, *args: str) -> Any:
        """What a query command run with --json printed (it must succeed): the rows."""
        result = self(*args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


def processor_url() -> str:
    """Where the order processor of the stack answers (as the CLI finds it)."""
    return os.environ.get("TICKSTREAM_ORDER_PROCESSOR_URL") or (
        f"http://127.0.0.1:{CommonSettings().order_processor_port}"
    )


@pytest.fixture(scope="session")
def order_processor() -> str:
    """The running order processor's URL, once it answers ready."""
    url = processor_url()
    try:
        ready = httpx.get(f"{url}/ready", timeout=5)
    except httpx.HTTPError as exc:
        unavailable(f"the order processor at {url} does not answer: {exc!r}")
    if ready.status_code != 200:
        unavailable(f"the order processor at {url} is not ready: {ready.text}")
    return url


@pytest.fixture(scope="session")
def ledger_api(order_processor: str) -> str:
    """The running order processor's URL, once it serves the ledger API too."""
    try:
        answer = httpx.get(f"{order_processor}/openapi.json", timeout=5)
    except httpx.HTTPError as exc:
        unavailable(f"the order processor at {order_processor} does not answer: {exc!r}")
    routes = answer.json().get("paths", {})
    if LEDGER_ROUTE not in routes:
        unavailable(f"the order processor at {order_processor} serves no {LEDGER_ROUTE}")
    return order_processor


@pytest.fixture
def ledger_cli(infra: Endpoints) -> Cli:
    """The CLI pointed at the integration servers (enough for ``account``)."""
    return Cli(
        {
            "TICKSTREAM_KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap,
            "TICKSTREAM_POSTGRES_DSN": infra.postgres_dsn,
        }
    )


@pytest.fixture
def bus_cli(ledger_cli: Cli, order_processor: str) -> Cli:
    """The CLI pointed at the servers, with the order processor running."""
    return Cli({**ledger_cli.env, "TICKSTREAM_ORDER_PROCESSOR_URL": order_processor})


@pytest.fixture
def cli(bus_cli: Cli, ledger_api: str) -> Cli:
    """The CLI pointed at the servers and at the order processor with its ledger API."""
    return bus_cli


@pytest.fixture
def owner(ledger_cli: Cli) -> Callable[[], tuple[str, str]]:
    """``owner()`` creates a fresh paper account; its (account id, user id)."""

    def create() -> tuple[str, str]:
        account, user = str(uuid.uuid4()), str(uuid.uuid4())
        result = ledger_cli(
            "account", "create", "--user-id", user, "--account-id", account, "--name", "cli test"
        )
        assert result.exit_code == 0, result.output
        return account, user

    return create
