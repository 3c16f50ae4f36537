"""Valid rule sets: the documented examples parse, and every form round-trips."""

from __future__ import annotations

import json
import re
from datetime import time
from pathlib import Path
from typing import Any

import pytest

from shared.strategy.rules import RuleSet, RuleStrategy, bind, dump_rules, parse_rules
from shared.strategy.rules.nodes import (
    AllOf,
    AnyOf,
    Arith,
    Compare,
    Const,
    Cross,
    FieldRef,
    IndicatorRef,
    Not,
    ParamRef,
    PositionIs,
    Ticks,
)
from shared.strategy.rules.ruleset import Action, Exit, IndicatorSpec, Window

DOC = Path(__file__).parents[4] / "docs" / "rules.md"
EXAMPLES = [
    json.loads(block)
    for block in re.findall(r"```json\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
]
INDICATORS = {"fast": {"type": "sma", "period": 2}, "bands": {"type": "bollinger"}}


def when(condition: Any) -> RuleSet:
    return parse_rules(
        {"indicators": INDICATORS, "rules": [{"when": condition, "then": {"do": "exit"}}]}
    )


def test_the_documentation_has_examples_to_check() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.get("description", "")[:30])
def test_documented_examples_parse_and_dump_back_to_the_same_json(example: Any) -> None:
    rules = parse_rules(example)
    assert dump_rules(rules) == example
    assert parse_rules(json.loads(json.dumps(dump_rules(rules)))) == rules


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.get("description", "")[:30])
def test_documented_examples_make_strategies_with_default_parameters(example: Any) -> None:
    strategy = RuleStrategy(parse_rules(example), {})
    assert strategy.bound.parameters == ()


def test_the_first_example_parses_to_these_nodes() -> None:
    rules = parse_rules(EXAMPLES[0])
    assert rules.timeframe == "1m"
    assert rules.indicators[2] == IndicatorSpec("trend", "sma", (("period", Const(20)),), "15m")
    assert rules.window == Window(time(8, 30), time(15), "America/Chicago", (0, 1, 2, 3, 4), True)
    long = rules.rules[0]
    assert long.name == "trend long"
    assert long.when == AllOf(
        (
            Cross("crosses_above", IndicatorRef("fast"), IndicatorRef("slow")),
            Compare(">", FieldRef("close", "15m"), IndicatorRef("trend")),
        )
    )
    assert long.then == Action("enter_long", Const(1), None, Exit("ticks", Const(12)))


@pytest.mark.parametrize(
    ("condition", "node"),
    [
        (
            {"crosses_above": ["fast", "close"]},
            Cross("crosses_above", IndicatorRef("fast"), FieldRef("close")),
        ),
        ({"crosses_below": ["low", 4500]}, Cross("crosses_below", FieldRef("low"), Const(4500))),
        (
            {">": ["high", "bands.upper"]},
            Compare(">", FieldRef("high"), IndicatorRef("bands", "upper")),
        ),
        ({">=": ["volume", 1.5]}, Compare(">=", FieldRef("volume"), Const(1.5))),
        ({"<": ["vwap", "open"]}, Compare("<", FieldRef("vwap"), FieldRef("open"))),
        (
            {"<=": ["close", "bands.lower"]},
            Compare("<=", FieldRef("close"), IndicatorRef("bands", "lower")),
        ),
        ({"==": ["close", "high"]}, Compare("==", FieldRef("close"), FieldRef("high"))),
        (
            {"==": ["close", "high"], "tolerance": 0.25},
            Compare("==", FieldRef("close"), FieldRef("high"), Const(0.25)),
        ),
        ({"all": [{"position": "long"}]}, AllOf((PositionIs("long"),))),
        (
            {"any": [{"position": "flat"}, {"position": "short"}]},
            AnyOf((PositionIs("flat"), PositionIs("short"))),
        ),
        ({"not": {"position": "flat"}}, Not(PositionIs("flat"))),
    ],
)
def test_each_operator_parses_to_its_node_and_dumps_back(condition: Any, node: Any) -> None:
    rules = when(condition)
    assert rules.rules[0].when == node
    assert dump_rules(rules)["rules"][0]["when"] == condition


@pytest.mark.parametrize(
    ("value", "node"),
    [
        (3, Const(3)),
        (-2.5, Const(-2.5)),
        ("close", FieldRef("close")),
        ({"field": "high", "timeframe": "15m"}, FieldRef("high", "15m")),
        ("fast", IndicatorRef("fast")),
        ("bands.middle", IndicatorRef("bands", "middle")),
        ({"ticks": 4}, Ticks(Const(4))),
        ({"+": ["fast", {"ticks": 2}]}, Arith("+", IndicatorRef("fast"), Ticks(Const(2)))),
        (
            {"/": [{"*": [2, "close"]}, "open"]},
            Arith("/", Arith("*", Const(2), FieldRef("close")), FieldRef("open")),
        ),
    ],
)
def test_each_value_form_parses_and_dumps_back(value: Any, node: Any) -> None:
    rules = when({">": ["close", value]})
    assert rules.rules[0].when == Compare(">", FieldRef("close"), node)
    assert dump_rules(rules)["rules"][0]["when"] == {">": ["close", value]}


def test_parameter_references_are_kept_until_bound_with_the_given_values() -> None:
    data = {
        "parameters": {
            "period": {"type": "int", "default": 5, "min": 1},
            "level": {"type": "float", "default": 1.5},
        },
        "indicators": {"avg": {"type": "ema", "period": {"param": "period"}}},
        "rules": [
            {
                "when": {">": ["close", {"+": ["avg", {"param": "level"}]}]},
                "then": {"do": "enter_long", "quantity": {"param": "period"}},
            }
        ],
    }
    rules = parse_rules(data)
    assert rules.indicators[0].params == (("period", ParamRef("period")),)
    bound = bind(rules, {"period": 7, "level": 0.5})
    assert bound.parameters == ()
    assert bound.indicators[0].params == (("period", Const(7)),)
    assert bound.rules[0].then.quantity == Const(7)
    assert bound.rules[0].when == Compare(
        ">", FieldRef("close"), Arith("+", IndicatorRef("avg"), Const(0.5))
    )
    assert RuleStrategy(rules, {"period": 7, "level": 0.5}).bound == bound
    assert RuleStrategy(rules, {}).params == {"period": 5, "level": 1.5}


def test_keys_may_come_in_any_order_and_indicator_types_in_any_case() -> None:
    a = parse_rules(
        {
            "rules": [{"then": {"do": "exit"}, "when": {"<": ["f", 1]}}],
            "indicators": {"f": {"period": 3, "type": "EMA"}},
        }
    )
    b = parse_rules(
        {
            "indicators": {"f": {"type": "ema", "period": 3}},
            "rules": [{"when": {"<": ["f", 1]}, "then": {"do": "exit"}}],
        }
    )
    assert a == b


def test_parsed_rule_sets_are_immutable_and_hashable() -> None:
    rules = parse_rules(EXAMPLES[1])
    assert hash(rules.rules) == hash(parse_rules(EXAMPLES[1]).rules)
    with pytest.raises(AttributeError):
        rules.timeframe = "5m"  # type: ignore[misc]
