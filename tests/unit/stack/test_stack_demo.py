"""The demo account lines that `tickstream up` prints, and the example they offer."""

from __future__ import annotations

import shlex
import uuid
from decimal import Decimal
from typing import Any

import pytest
from typer.testing import CliRunner

from order_processor import cli_session
from order_processor.cli_wait import Conversation
from shared.cli.main import app
from shared.messages.envelope import Payload
from shared.messages.schemas.orders import SubmitOrder
from shared.stack import StackSettings
from shared.stack.demo import (
    DEMO_ACCOUNT_ID,
    DEMO_USER_ID,
    DemoAccount,
    demo_lines,
    ensure_demo,
)

DEMO = DemoAccount(created=False, user_id=DEMO_USER_ID, starting_balance=Decimal("1.0E+5"),
                   currency="USD")  # fmt: skip


def test_the_demo_ids_are_the_documented_ones() -> None:
    assert str(DEMO_USER_ID) == "00000000-0000-4000-8000-00000000d3e0"
    assert str(DEMO_ACCOUNT_ID) == "00000000-0000-4000-8000-0000000acc01"


def test_the_lines_show_the_demo_user_and_account_with_its_balance() -> None:
    lines = demo_lines(DEMO, StackSettings(), services=False).splitlines()

    assert [line.split() for line in lines] == [
        ["Demo", "user", str(DEMO_USER_ID)],
        ["Demo", "account", str(DEMO_ACCOUNT_ID), "100000", "USD"],
    ]


def test_the_example_order_is_a_command_that_submits_for_the_demo_account(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent: list[Payload] = []

    def exchange(payload: Payload, **_: Any) -> Conversation:
        sent.append(payload)
        return Conversation(uuid.uuid4())

    monkeypatch.setattr(cli_session, "exchange", exchange)
    settings = StackSettings(demo_symbols="NQZ6,ESZ6")
    lines = demo_lines(DEMO, settings, services=True).splitlines()
    (example,) = [line for line in lines if "order submit" in line]
    command = shlex.split(example.split("uv run tickstream ", 1)[1])

    CliRunner().invoke(app, command)

    (order,) = sent
    assert isinstance(order, SubmitOrder)
    assert (order.account_id, order.user_id, order.symbol) == (
        DEMO_ACCOUNT_ID,
        DEMO_USER_ID,
        "NQZ6",
    )


def test_up_without_postgres_seeds_nothing() -> None:
    def never(_: str) -> None:
        raise AssertionError("nothing to report")

    assert ensure_demo(StackSettings(postgres_port=1), ["redis"], progress=never) is None
