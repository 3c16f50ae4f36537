"""The service shell: health, readiness, metrics, problem details, docs and lifecycle."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from order_processor.settings import OrderProcessorSettings
from shared.resources import NotStartedError
from shared.service import ProblemError, create_app
from shared.service.problems import PROBLEM_JSON
from tests.support.asgi import serve_in_process, wait_for_ready_status
from tests.support.fake_resources import FakeResource

SETTINGS = OrderProcessorSettings(
    _env_file=None, dependency_check_interval_s=0.01, dependency_check_timeout_s=0.5
)

items = APIRouter()


@items.get("/items/{item_id}")
async def get_item(item_id: int) -> dict[str, int]:
    if item_id == 13:
        raise ProblemError(409, "urn:test:unlucky", "Unlucky item", "13 is taken", item=13)
    if item_id == 500:
        raise RuntimeError("bug")
    if item_id == 503:
        raise ConnectionRefusedError("redis is down")
    if item_id == 504:
        raise NotStartedError("Cache.start() has not succeeded yet")
    return {"item_id": item_id}


class Shell:
    def __init__(self) -> None:
        self.kafka = FakeResource("kafka")
        self.postgres = FakeResource("postgres")
        self.events: list[str] = []

    def app(self) -> FastAPI:
        async def on_start(app: FastAPI) -> None:
            self.events.append("start")

        async def on_stop(app: FastAPI) -> None:
            self.events.append("stop")

        return create_app(
            SETTINGS,
            [self.kafka, self.postgres],
            title="Test service",
            routers=[items],
            on_start=on_start,
            on_stop=on_stop,
        )


@pytest.fixture
async def shell() -> AsyncIterator[tuple[Shell, httpx.AsyncClient]]:
    state = Shell()
    async with serve_in_process(state.app()) as client:
        yield state, client


async def ready_status(client: httpx.AsyncClient) -> int:
    return (await client.get("/ready")).status_code


async def test_health_answers_while_dependencies_are_down() -> None:
    state = Shell()
    state.kafka.available = False
    async with serve_in_process(state.app()) as client:
        response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "service": "order_processor"}


async def test_ready_when_every_dependency_is_up(shell: tuple[Shell, httpx.AsyncClient]) -> None:
    _, client = shell
    body = (await wait_for_ready_status(client, 200)).json()
    assert body["status"] == "ready"
    assert [(d["name"], d["up"]) for d in body["dependencies"]] == [
        ("kafka", True),
        ("postgres", True),
    ]


async def test_not_ready_names_the_down_dependency_and_recovers(
    shell: tuple[Shell, httpx.AsyncClient],
) -> None:
    state, client = shell
    await wait_for_ready_status(client, 200)
    state.postgres.available = False
    body = (await wait_for_ready_status(client, 503)).json()
    assert body["status"] == "not_ready"
    down = [d for d in body["dependencies"] if not d["up"]]
    assert [(d["name"], d["last_error"]) for d in down] == [
        ("postgres", "ConnectionRefusedError: postgres is down")
    ]
    assert down[0]["since"].endswith("Z")
    state.postgres.available = True
    await wait_for_ready_status(client, 200)


async def test_service_down_at_boot_becomes_ready_when_dependency_appears() -> None:
    state = Shell()
    state.kafka.available = False
    async with serve_in_process(state.app()) as client:
        assert await ready_status(client) == 503
        state.kafka.available = True
        await wait_for_ready_status(client, 200)


async def test_metrics_expose_the_dependency_gauge(shell: tuple[Shell, httpx.AsyncClient]) -> None:
    state, client = shell
    await wait_for_ready_status(client, 200)
    state.kafka.available = False
    await wait_for_ready_status(client, 503)
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert 'tickstream_dependency_up{dependency="kafka"} 0.0' in response.text
    assert 'tickstream_dependency_up{dependency="postgres"} 1.0' in response.text
    assert "tickstream_http_requests_total" in response.text


async def test_unknown_path_is_a_problem_document(shell: tuple[Shell, httpx.AsyncClient]) -> None:
    _, client = shell
    response = await client.get("/no/such/thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": None,
        "instance": "/no/such/thing",
    }


async def test_invalid_request_is_a_validation_problem(
    shell: tuple[Shell, httpx.AsyncClient],
) -> None:
    _, client = shell
    response = await client.get("/items/abc")
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["type"] == "urn:tickstream:problem:validation-error"
    assert body["status"] == 422
    assert body["instance"] == "/items/abc"
    assert [e["loc"] for e in body["errors"]] == [["path", "item_id"]]


async def test_wrong_method_is_a_problem_document(shell: tuple[Shell, httpx.AsyncClient]) -> None:
    _, client = shell
    response = await client.delete("/health")
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["title"] == "Method Not Allowed"


async def test_raised_problem_keeps_its_type_and_extensions(
    shell: tuple[Shell, httpx.AsyncClient],
) -> None:
    _, client = shell
    response = await client.get("/items/13")
    assert response.status_code == 409
    assert response.json() == {
        "type": "urn:test:unlucky",
        "title": "Unlucky item",
        "status": 409,
        "detail": "13 is taken",
        "instance": "/items/13",
        "item": 13,
    }


async def test_crash_is_a_500_problem(shell: tuple[Shell, httpx.AsyncClient]) -> None:
    _, client = shell
    response = await client.get("/items/500")
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM_JSON
    assert "bug" not in response.text


@pytest.mark.parametrize("item_id", [503, 504])
async def test_a_store_outage_is_a_503_problem_with_retry_after(
    shell: tuple[Shell, httpx.AsyncClient], item_id: int
) -> None:
    _, client = shell
    response = await client.get(f"/items/{item_id}")
    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["retry-after"] == "1"
    assert "redis" not in response.text


async def test_correlation_id_is_echoed_or_made(shell: tuple[Shell, httpx.AsyncClient]) -> None:
    _, client = shell
    given = await client.get("/health", headers={"X-Correlation-ID": "req-42"})
    assert given.headers["x-correlation-id"] == "req-42"
    made = await client.get("/health", headers={"X-Correlation-ID": "bad id\nforged"})
    assert made.headers["x-correlation-id"] not in {"", "bad id\nforged"}


async def test_docs_load_swagger_ui_from_the_service_itself(
    shell: tuple[Shell, httpx.AsyncClient],
) -> None:
    _, client = shell
    page = await client.get("/docs")
    assert page.status_code == 200
    assert "/docs-assets/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert (await client.get(f"/docs-assets/{asset}")).status_code == 200
    schema = (await client.get("/openapi.json")).json()
    assert schema["info"]["title"] == "Test service"
    assert {"/health", "/ready", "/metrics", "/items/{item_id}"} <= set(schema["paths"])


async def test_lifecycle_runs_hooks_and_closes_resources() -> None:
    state = Shell()
    async with serve_in_process(state.app()) as client:
        await wait_for_ready_status(client, 200)
        assert state.events == ["start"]
    assert state.events == ["start", "stop"]
    assert state.kafka.closed and state.postgres.closed


async def test_every_resource_is_closed_even_if_one_fails() -> None:
    class FailingClose(FakeResource):
        async def close(self) -> None:
            raise OSError("close failed")

    postgres = FakeResource("postgres")
    app = create_app(SETTINGS, [FailingClose("kafka"), postgres], title="Test service")
    with pytest.raises(ExceptionGroup) as caught:
        async with serve_in_process(app):
            pass
    assert postgres.closed
    assert [str(e) for e in caught.value.exceptions] == ["close failed"]
