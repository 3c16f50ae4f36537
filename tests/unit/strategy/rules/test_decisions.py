"""Rule strategies run by the strategy runner: which rule acts, and the orders it sends."""

from __future__ import annotations

from decimal import Decimal

from shared.strategy.definition import Sizing
from tests.unit.strategy.rules.helpers import (
    SYMBOL,
    bar,
    closes,
    feed,
    orders,
    rule_set,
    runner,
    summary,
)

D = Decimal
CROSSES = rule_set(
    {"when": {"crosses_above": ["fast", "slow"]}, "then": {"do": "enter_long", "quantity": 1}},
    {"when": {"crosses_below": ["fast", "slow"]}, "then": {"do": "exit"}},
)


def test_a_cross_acts_on_the_bar_that_makes_it_and_never_again() -> None:
    # sma2 / sma3: bar 2 equal (10/10), bar 3 above (10.5/10.33), bar 6 below (10/10.67)
    sent = feed(runner(CROSSES), closes([10, 10, 10, 11, 12, 11, 9, 8]))
    assert summary(sent) == [(3, "BUY", D(1), False), (6, "SELL", D(1), True)]


def test_touching_a_level_is_not_a_cross_but_leaving_it_is() -> None:
    rules = rule_set(
        {"when": {"crosses_above": ["close", 100]}, "then": {"do": "enter_long", "quantity": 1}},
        {"when": {"crosses_below": ["close", 100]}, "then": {"do": "exit"}},
    )
    sent = feed(runner(rules), closes([99, 100, 101, 100, 99, 100, 101]))
    assert summary(sent) == [
        (2, "BUY", D(1), False),
        (4, "SELL", D(1), True),
        (6, "BUY", D(1), False),
    ]


def test_warm_up_bars_prime_crossings_without_sending_orders() -> None:
    run = runner(CROSSES)
    for candle in closes([10, 10, 10]):
        run.warm(candle)
    assert summary(feed(run, [bar(3, 11)])) == [(0, "BUY", D(1), False)]


def test_an_exit_wins_over_an_entry_on_the_same_bar() -> None:
    rules = rule_set(
        {"when": {"<": ["close", 10]}, "then": {"do": "enter_long", "quantity": 1}},
        {"when": {">": ["close", 20]}, "then": {"do": "enter_short", "quantity": 1}},
        {"when": {">": ["close", 15]}, "then": {"do": "exit"}},
    )
    sent = feed(runner(rules), closes([5, 25, 25]))
    # long; then exit and enter_short both match: only the exit; flat, enter_short acts
    assert summary(sent) == [
        (0, "BUY", D(1), False),
        (1, "SELL", D(1), True),
        (2, "SELL", D(1), False),
    ]


def test_the_first_matching_entry_acts_and_entries_that_change_nothing_are_skipped() -> None:
    rules = rule_set(
        {"when": {">": ["close", 0]}, "then": {"do": "enter_long", "quantity": 1}},
        {"when": {">": ["close", 0]}, "then": {"do": "enter_long", "quantity": 5}},
        {"when": {">": ["close", 10]}, "then": {"do": "enter_short", "quantity": 1}},
    )
    sent = feed(runner(rules), closes([5, 6, 15]))
    # bar 1: already long, no pyramiding; bar 2: the long entries don't apply, the short one
    # reverses in one order (1 held + 1)
    assert summary(sent) == [(0, "BUY", D(1), False), (2, "SELL", D(2), False)]


def test_reverse_flips_a_position_and_does_nothing_when_flat() -> None:
    rules = rule_set(
        {"when": {"<": ["close", 10]}, "then": {"do": "reverse", "quantity": 2}},
        {"when": {">": ["close", 20]}, "then": {"do": "enter_short", "quantity": 1}},
    )
    sent = feed(runner(rules), closes([5, 25, 5, 5]))
    assert summary(sent) == [
        (1, "SELL", D(1), False),
        (2, "BUY", D(3), False),
        (3, "SELL", D(4), False),
    ]


def test_a_position_condition_sees_the_orders_already_sent() -> None:
    rules = rule_set(
        {"when": {"position": "flat"}, "then": {"do": "enter_long", "quantity": 1}},
        {"when": {"all": [{"position": "long"}, {">": ["close", 12]}]}, "then": {"do": "exit"}},
    )
    sent = feed(runner(rules), closes([10, 11, 13, 13]))
    assert summary(sent) == [
        (0, "BUY", D(1), False),
        (2, "SELL", D(1), True),
        (3, "BUY", D(1), False),
    ]


def test_without_a_quantity_the_sizing_rule_gives_it() -> None:
    rules = rule_set({"when": {">": ["close", 0]}, "then": {"do": "enter_long"}})
    fixed = feed(runner(rules, sizing=Sizing("fixed", D(3))), closes([100]))
    assert summary(fixed) == [(0, "BUY", D(3), False)]
    # ES: 50 USD a point; half of 100,000 at 100.00 is 10 contracts of 5,000
    equity = feed(runner(rules, sizing=Sizing("equity", fraction=D("0.5"))), closes([100]))
    assert summary(equity) == [(0, "BUY", D(10), False)]


def test_brackets_in_ticks_offsets_and_prices_are_placed_around_the_close() -> None:
    legs = {"take_profit": {"ticks": 8}, "stop_loss": {"offset": 1.5}}
    rules = rule_set(
        {"when": {"<": ["close", 90]}, "then": {"do": "enter_short", "quantity": 1, **legs}},
        {"when": {">": ["close", 0]}, "then": {"do": "enter_long", "quantity": 1, **legs}},
    )
    ((_, long),) = feed(runner(rules), closes([100]))
    assert long.bracket is not None
    assert (long.bracket.take_profit_price, long.bracket.stop_loss_price) == (
        D("102.00"),
        D("98.50"),
    )
    ((_, short),) = feed(runner(rules), closes([80]))
    assert short.bracket is not None
    assert (short.bracket.take_profit_price, short.bracket.stop_loss_price) == (
        D("78.00"),
        D("81.50"),
    )


def test_a_bracket_price_from_an_indicator_waits_until_it_is_known() -> None:
    stop = {"-": ["slow", {"ticks": 3}]}
    rules = rule_set(
        {
            "when": {">": ["close", 0]},
            "then": {"do": "enter_long", "quantity": 1, "stop_loss": {"price": stop}},
        },
    )
    sent = feed(runner(rules), closes([100, 101, 102.3]))
    assert [i for i, _ in sent] == [2]  # slow (SMA 3) is unknown before bar 2
    bracket = sent[0][1].bracket
    assert bracket is not None
    assert bracket.stop_loss_price == D("100.25")  # 101.1 - 0.75 = 100.35: the nearest tick


def test_orders_are_tagged_with_the_rule_name_or_position() -> None:
    rules = rule_set(
        {"name": "dip", "when": {"<": ["close", 10]}, "then": {"do": "enter_long", "quantity": 1}},
        {"when": {">": ["close", 20]}, "then": {"do": "exit"}},
    )
    sent = feed(runner(rules), closes([5, 25]))
    assert [o.tag for _, o in sent] == ["dip", "rules[1]"]


def test_each_symbol_has_its_own_indicators_and_position() -> None:
    run = runner(CROSSES, subscriptions=((SYMBOL, "1m"), ("NQZ6", "1m")))
    es = closes([10, 10, 10, 11, 12])
    nq = closes([50, 50, 50, 49, 55], symbol="NQZ6")
    sent = feed(run, [c for pair in zip(es, nq, strict=True) for c in pair])
    assert [(i, o.symbol, o.side.value) for i, o in sent] == [
        (6, SYMBOL, "BUY"),
        (9, "NQZ6", "BUY"),
    ]


def test_the_same_bars_give_the_same_messages_with_the_same_ids() -> None:
    candles = closes([10, 10, 10, 11, 12, 11, 9, 8, 10, 12])
    first, second = runner(CROSSES), runner(CROSSES)
    assert [first.on_bar(c) for c in candles] == [second.on_bar(c) for c in candles]
    assert orders(runner(CROSSES).on_bar(candles[0])) == []


def test_an_entry_whose_bracket_is_on_the_wrong_side_of_the_close_does_not_act() -> None:
    rules = rule_set(
        {
            "when": {">": ["close", 0]},
            "then": {"do": "enter_long", "quantity": 1, "take_profit": {"price": "slow"}},
        }
    )
    # rising: the slow average lies below the close, no take-profit for a long there
    assert feed(runner(rules), closes([100, 101, 102, 103])) == []
    sent = feed(runner(rules), closes([103, 102, 101, 100]))
    assert [i for i, _ in sent] == [2]
    assert sent[0][1].bracket is not None
    assert sent[0][1].bracket.take_profit_price == D("102.00")


def test_a_price_offset_that_rounds_to_the_close_is_not_a_bracket() -> None:
    tiny = rule_set(
        {"when": {">": ["close", 0]}, "then": {"do": "enter_long", "stop_loss": {"offset": 0.1}}}
    )
    assert feed(runner(tiny), closes([100, 101])) == []
