"""`tickstream order` through the real Kafka to the running order processor and its API.

The demo market of the stack trades ESZ6 around the clock, so a market order fills within
seconds; a limit at 1000 is far below it and stays working.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from tests.integration.cli.conftest import Cli

pytestmark = pytest.mark.integration

Owner = Callable[[], tuple[str, str]]
FILL_TIMEOUT = "60"
FAR_BELOW = "1000"


def ids(account: str, user: str) -> list[str]:
    return ["--account", account, "--user", user]


def test_a_market_order_fills_and_shows_in_orders_and_positions(cli: Cli, owner: Owner) -> None:
    account, user = owner()
    submit = ["order", "submit", *ids(account, user), "--symbol", "ESZ6", "--side", "buy"]

    code, events = cli.events(
        *submit, "--type", "market", "--qty", "1", "--wait-fill", "--timeout", FILL_TIMEOUT
    )

    assert code == 0, events
    assert [e["type"] for e in events][:2] == ["OrderAccepted", "OrderFilled"]
    order_id = events[0]["payload"]["order_id"]
    fill = events[1]["payload"]
    assert (fill["order_id"], fill["quantity"], fill["leaves_quantity"]) == (order_id, "1", "0")
    orders = cli.answer("order", "list", *ids(account, user))
    assert [(o["order_id"], o["status"], o["filled_quantity"]) for o in orders] == [
        (order_id, "FILLED", "1")
    ]
    positions = cli.answer("order", "positions", *ids(account, user))
    assert [(p["symbol"], p["side"], p["quantity"]) for p in positions] == [("ESZ6", "LONG", "1")]
    assert Decimal(positions[0]["avg_entry_price"]) == Decimal(fill["price"])
    table = cli("order", "positions", *ids(account, user)).stdout.splitlines()
    assert table[1].split()[:3] == ["ESZ6", "LONG", "1"]


def test_a_limit_far_from_the_market_works_until_canceled(cli: Cli, owner: Owner) -> None:
    account, user = owner()
    submit = ["order", "submit", *ids(account, user), "--symbol", "ESZ6", "--side", "buy"]
    cancel = ["order", "cancel", *ids(account, user), "--client-order-id", "far-1"]

    placed = cli(*submit, "--type", "limit", "--limit", FAR_BELOW, "--qty", "2",
                 "--tif", "gtc", "--client-order-id", "far-1")  # fmt: skip
    working = cli("order", "list", *ids(account, user), "--working")
    canceled = cli(*cancel)
    again = cli(*cancel)

    assert placed.exit_code == 0, placed.output
    assert placed.stdout.startswith("accepted   BUY 2 ESZ6 LIMIT GTC  limit 1000")
    assert working.exit_code == 0, working.output
    assert [line.split()[1] for line in working.stdout.splitlines()[1:]] == ["far-1"]
    assert canceled.exit_code == 0, canceled.output
    assert canceled.stdout.startswith("canceled   ESZ6 filled 0, left 2  (REQUESTED)")
    assert again.exit_code == 1
    assert again.stdout.startswith("rejected   ORDER_NOT_WORKING")
    assert cli("order", "list", *ids(account, user), "--working").stdout.strip() == "no orders"


def test_an_unknown_instrument_is_rejected_with_exit_one(bus_cli: Cli, owner: Owner) -> None:
    account, user = owner()

    code, events = bus_cli.events(
        "order", "submit", *ids(account, user), "--symbol", "XXZ9", "--side", "sell",
        "--type", "market", "--qty", "1",
    )  # fmt: skip

    assert code == 1
    assert [(e["type"], e["payload"]["reason"]) for e in events] == [
        ("OrderRejected", "UNKNOWN_INSTRUMENT")
    ]


def test_cancel_all_cancels_every_working_order_and_then_finds_none(cli: Cli, owner: Owner) -> None:
    account, user = owner()
    submit = ["order", "submit", *ids(account, user), "--side", "buy", "--type", "limit"]
    for symbol, price in (("ESZ6", FAR_BELOW), ("NQZ6", FAR_BELOW)):
        placed = cli(*submit, "--symbol", symbol, "--limit", price, "--qty", "1")
        assert placed.exit_code == 0, placed.output

    code, events = cli.events("order", "cancel-all", *ids(account, user))
    second = cli("order", "cancel-all", *ids(account, user))

    assert code == 0
    assert sorted((e["type"], e["payload"]["symbol"]) for e in events) == [
        ("OrderCanceled", "ESZ6"),
        ("OrderCanceled", "NQZ6"),
    ]
    assert second.exit_code == 0, second.output
    assert second.stdout.strip() == "no working orders to cancel"


def test_an_unreachable_kafka_exits_two(bus_cli: Cli, owner: Owner) -> None:
    account, user = owner()
    env = {**bus_cli.env, "TICKSTREAM_KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1"}

    result = Cli(env)(
        "order", "submit", *ids(account, user), "--symbol", "ESZ6", "--side", "buy",
        "--type", "market", "--qty", "1", "--timeout", "5",
    )  # fmt: skip

    assert result.exit_code == 2
    assert "Kafka at 127.0.0.1:1 cannot be reached" in result.stderr
