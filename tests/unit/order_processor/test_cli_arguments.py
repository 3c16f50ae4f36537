"""The `tickstream order` and `account` options: what they build, and what they refuse."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest
from typer.testing import CliRunner

from order_processor import cli_session
from order_processor.cli_wait import Conversation
from shared.cli.main import app
from shared.messages.envelope import Payload
from shared.messages.schemas.common import OrderSide, OrderType, TimeInForce
from shared.messages.schemas.orders import CancelOrder, ModifyOrder, SubmitOrder
from tests.unit.order_processor.cli_events import ACCOUNT, USER, accepted, wrap

IDS = ["--account", str(ACCOUNT), "--user", str(USER)]


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[Payload]:
    """The payloads the commands would publish; each is answered as accepted."""
    payloads: list[Payload] = []

    def exchange(payload: Payload, **_: Any) -> Conversation:
        payloads.append(payload)
        command = uuid.uuid4()
        conversation = Conversation(command, submit=isinstance(payload, SubmitOrder))
        conversation.offer(wrap(accepted(command), cause=command))
        return conversation

    monkeypatch.setattr(cli_session, "exchange", exchange)
    return payloads


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_a_limit_order_with_a_bracket_becomes_one_submit(sent: list[Payload]) -> None:
    result = run(
        "order", "submit", *IDS, "--symbol", "ESZ6", "--side", "SELL", "--type", "limit",
        "--qty", "3", "--limit", "5000.25", "--tif", "gtc", "--take-profit", "4990",
        "--stop-loss", "5010", "--client-order-id", "mine-1",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    (order,) = sent
    assert isinstance(order, SubmitOrder)
    assert (order.account_id, order.user_id, order.client_order_id) == (ACCOUNT, USER, "mine-1")
    assert (order.side, order.order_type, order.time_in_force) == (
        OrderSide.SELL,
        OrderType.LIMIT,
        TimeInForce.GTC,
    )
    assert (order.quantity, order.limit_price, order.stop_price) == (
        Decimal(3),
        Decimal("5000.25"),
        None,
    )
    assert order.bracket is not None
    assert order.bracket.take_profit_price == Decimal(4990)
    assert order.bracket.stop_loss_price == Decimal(5010)


def test_a_stop_limit_needs_both_prices(sent: list[Payload]) -> None:
    result = run(
        "order", "submit", *IDS, "--symbol", "ESZ6", "--side", "buy", "--type", "stop-limit",
        "--qty", "1", "--stop", "5001",
    )  # fmt: skip

    assert result.exit_code == 2
    assert "needs a limit_price" in result.output
    assert sent == []


def test_a_market_order_refuses_a_limit_price(sent: list[Payload]) -> None:
    result = run(
        "order", "submit", *IDS, "--symbol", "ESZ6", "--side", "buy", "--type", "market",
        "--qty", "1", "--limit", "5000",
    )  # fmt: skip

    assert result.exit_code == 2
    assert "takes no limit_price" in result.output
    assert sent == []


def test_each_submit_gets_a_fresh_valid_client_order_id(sent: list[Payload]) -> None:
    args = ["order", "submit", *IDS, "--symbol", "NQZ6", "--side", "buy", "--type", "market"]
    for _ in range(2):
        assert run(*args, "--qty", "1").exit_code == 0

    first, second = sent
    assert isinstance(first, SubmitOrder)
    assert isinstance(second, SubmitOrder)
    assert first.client_order_id != second.client_order_id
    assert first.client_order_id.startswith("cli-")


@pytest.mark.parametrize(
    ("option", "value", "complaint"),
    [
        ("--qty", "lots", "not a number"),
        ("--qty", "0", "greater than 0"),
        ("--qty", "NaN", "not a finite number"),
        ("--account", "acc-1", "not a UUID"),
        ("--side", "short", "short"),
    ],
)
def test_bad_values_are_usage_errors_and_nothing_is_sent(
    sent: list[Payload], option: str, value: str, complaint: str
) -> None:
    args = {"--account": str(ACCOUNT), "--user": str(USER), "--symbol": "ESZ6"}
    args |= {"--side": "buy", "--type": "market", "--qty": "1", option: value}

    result = run("order", "submit", *(x for pair in args.items() for x in pair))

    assert result.exit_code == 2
    assert complaint in result.output
    assert sent == []


def test_cancel_names_the_order_by_client_order_id(sent: list[Payload]) -> None:
    result = run("order", "cancel", *IDS, "--client-order-id", "mine-1")

    assert result.exit_code == 0, result.output
    assert sent == [
        CancelOrder(account_id=ACCOUNT, user_id=USER, client_order_id="mine-1", reason="")
    ]


def test_cancel_without_an_order_is_refused(sent: list[Payload]) -> None:
    result = run("order", "cancel", *IDS)

    assert result.exit_code == 2
    assert "order_id or client_order_id" in result.output
    assert sent == []


def test_modify_changes_only_what_is_given(sent: list[Payload]) -> None:
    order_id = uuid.uuid4()

    result = run("order", "modify", *IDS, "--order-id", str(order_id), "--limit", "4999.75")

    assert result.exit_code == 0, result.output
    (modify,) = sent
    assert isinstance(modify, ModifyOrder)
    assert (modify.order_id, modify.limit_price, modify.quantity, modify.stop_price) == (
        order_id,
        Decimal("4999.75"),
        None,
        None,
    )


def test_modify_without_a_change_is_refused(sent: list[Payload]) -> None:
    result = run("order", "modify", *IDS, "--client-order-id", "mine-1")

    assert result.exit_code == 2
    assert "must change quantity" in result.output
    assert sent == []


@pytest.mark.parametrize(
    ("option", "value", "complaint"),
    [("--currency", "dollars", "not a currency"), ("--balance", "-5", "not negative")],
)
def test_account_create_refuses_bad_values_before_touching_postgres(
    monkeypatch: pytest.MonkeyPatch, option: str, value: str, complaint: str
) -> None:
    monkeypatch.setenv("TICKSTREAM_POSTGRES_DSN", "postgresql://nobody@127.0.0.1:1/none")

    result = run("account", "create", "--user-id", str(USER), "--name", "paper", option, value)

    assert result.exit_code == 2
    assert complaint in result.output


def test_the_help_lists_every_order_command() -> None:
    result = run("order", "--help")

    assert result.exit_code == 0
    for command in ("submit", "cancel", "modify", "cancel-all", "flatten", "list", "positions"):
        assert f"  {command} " in result.output
    assert "  summary " in result.output
