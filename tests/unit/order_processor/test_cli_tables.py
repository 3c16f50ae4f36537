"""Tables and lines the order commands print."""

from __future__ import annotations

import uuid

import pytest

from order_processor.cli_api import ApiError, is_open, rows_of
from order_processor.cli_format import event_line
from order_processor.cli_tables import (
    ORDER_COLUMNS,
    POSITION_COLUMNS,
    rows_table,
    summary_table,
)
from shared.messages.schemas.reasons import RejectReason
from tests.unit.order_processor.cli_events import accepted, canceled, filled, rejected


def test_order_table_shows_the_columns_the_rows_have_under_their_titles() -> None:
    rows: list[dict[str, object]] = [
        {"order_id": "o-1", "symbol": "ESZ6", "side": "BUY", "order_type": "LIMIT",
         "quantity": "2", "limit_price": "5000.25", "status": "ACCEPTED"},
        {"order_id": "o-2", "symbol": "NQZ6", "side": "SELL", "order_type": "MARKET",
         "quantity": "1", "limit_price": None, "status": "FILLED"},
    ]  # fmt: skip

    lines = rows_table(rows, ORDER_COLUMNS).splitlines()

    assert lines[0].split() == ["ORDER", "SYMBOL", "SIDE", "TYPE", "QTY", "LIMIT", "STATUS"]
    assert lines[1].split() == ["o-1", "ESZ6", "BUY", "LIMIT", "2", "5000.25", "ACCEPTED"]
    assert lines[2].split() == ["o-2", "NQZ6", "SELL", "MARKET", "1", "-", "FILLED"]


def test_a_column_takes_the_first_of_its_field_names_present() -> None:
    rows = [
        {"symbol": "ESZ6", "average_entry_price": "4998.50", "opened_ns": 1_795_000_000 * 10**9}
    ]

    lines = rows_table(rows, POSITION_COLUMNS).splitlines()

    assert lines[0].split() == ["SYMBOL", "AVG", "ENTRY", "OPENED"]
    assert lines[1].split() == ["ESZ6", "4998.50", "2026-11-18T11:06:40Z"]


def test_summary_lists_nested_fields_with_dotted_names() -> None:
    text = summary_table({"balance": "100000", "pnl": {"realized": "-12.5", "unrealized": None}})

    assert [line.split() for line in text.splitlines()] == [
        ["FIELD", "VALUE"],
        ["balance", "100000"],
        ["pnl.realized", "-12.5"],
        ["pnl.unrealized", "-"],
    ]


def test_list_answers_come_bare_or_in_data() -> None:
    row = {"order_id": "o-1"}

    assert rows_of([row]) == [row]
    assert rows_of({"data": [row], "count": 1}) == [row]
    with pytest.raises(ApiError):
        rows_of({"data": "nope"})


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        ({"quantity": "2"}, True),
        ({"quantity": "0"}, False),
        ({"quantity": "0", "status": "OPEN"}, True),
        ({"quantity": "3", "status": "CLOSED"}, False),
    ],
)
def test_a_position_is_open_by_its_state_else_its_quantity(
    position: dict[str, str], expected: bool
) -> None:
    assert is_open(position) is expected


def test_event_lines_say_what_happened_with_the_numbers() -> None:
    order = uuid.uuid4()

    assert event_line(accepted(order)).split()[:6] == [
        "accepted", "BUY", "2", "ESZ6", "MARKET", "DAY",
    ]  # fmt: skip
    fill = event_line(filled(order, "2", cum="2", leaves="0"))
    assert fill.startswith("filled     BUY 2 ESZ6 @ 5000.25  commission 2.25 USD")
    assert "leaves 0" in fill
    assert event_line(canceled(order)).startswith("canceled   ESZ6 filled 0, left 2  (REQUESTED)")
    refused = event_line(rejected(None, RejectReason.UNKNOWN_INSTRUMENT, "unknown 'X'"))
    assert refused.startswith("rejected   UNKNOWN_INSTRUMENT: unknown 'X'")


def test_a_bracket_child_names_its_parent() -> None:
    parent = uuid.uuid4()

    line = event_line(accepted(uuid.uuid4(), parent_order_id=parent))

    assert f"bracket child of {parent}" in line
