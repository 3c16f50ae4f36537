"""The ledger API when Postgres does not answer, and input refused before any store is asked."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from order_processor.app import build_app
from order_processor.settings import OrderProcessorSettings
from shared.db.pool import Database
from tests.support.asgi import serve_in_process

NOBODY_LISTENS = "postgresql://tickstream:tickstream@127.0.0.1:9/tickstream"
TAILS = ("orders", f"orders/{uuid.uuid4()}", "orders/by-client-id/x", "fills", "positions",
         "summary", "risk")  # fmt: skip


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    settings = OrderProcessorSettings(_env_file=None, dependency_check_interval_s=0.05)
    app = build_app(settings, [Database(NOBODY_LISTENS, connect_timeout_s=0.5)])
    async with serve_in_process(app) as api:
        yield api


@pytest.mark.parametrize("tail", TAILS)
async def test_a_ledger_that_does_not_answer_gives_503_with_retry_after(
    client: httpx.AsyncClient, tail: str
) -> None:
    answer = await client.get(
        f"/api/v1/accounts/{uuid.uuid4()}/{tail}", params={"user_id": str(uuid.uuid4())}
    )
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"] == "1"


@pytest.mark.parametrize(
    ("name", "value"),
    [("since", "yesterday"), ("until", "2026-03-06T10:00:00"), ("before", "12:not-a-uuid")],
)
async def test_a_time_or_cursor_that_cannot_be_read_is_refused_before_the_ledger_is_asked(
    client: httpx.AsyncClient, name: str, value: str
) -> None:
    for tail in ("orders", "fills"):
        answer = await client.get(
            f"/api/v1/accounts/{uuid.uuid4()}/{tail}",
            params={"user_id": str(uuid.uuid4()), name: value},
        )
        assert answer.status_code == 422, answer.text
        problem = answer.json()
        assert problem["type"] == "urn:tickstream:problem:validation-error"
        assert problem["errors"][0]["loc"] == ["query", name]
