"""Invalid rule sets: each kind of mistake is a RuleError whose path points at it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from shared.indicators import registry
from shared.strategy.params import ParameterError
from shared.strategy.rules import RuleError, RuleStrategy, parse_rules
from tests.unit.strategy.rules.helpers import runner

FIELDS = "open, high, low, close, volume, vwap"
CONDITIONS = "all, any, not, crosses_above, crosses_below, >, >=, <, <=, ==, position"
VALUES = (
    'a number, a bar field, an indicator, {"field": ..., "timeframe": ...}, '
    '{"param": ...}, {"ticks": ...} or {"+"|"-"|"*"|"/": [a, b]}'
)
SEVERAL = "indicator 'bands' has several lines: write one of bands.middle, bands.upper, bands.lower"
CONDITION = 'expected a condition such as {"crosses_above": [a, b]}, got'
TOP = "unknown key (allowed: rules, description, timeframe, parameters, indicators, window)"
DAYS = "mon, tue, wed, thu, fri, sat, sun"
KNOWN = "(known: fast, slow, bands, range)"
TIMEFRAME = "is not a timeframe (a count and a unit among s, m, h, d, w: 15m)"
BASE: dict[str, Any] = {
    "parameters": {"level": {"type": "float", "default": 30}},
    "indicators": {
        "fast": {"type": "sma", "period": 2},
        "slow": {"type": "sma", "period": 3},
        "bands": {"type": "bollinger"},
        "range": {"type": "atr"},
    },
    "rules": [
        {"when": {">": ["close", 1]}, "then": {"do": "enter_long", "quantity": 1}},
        {"when": {"all": [{"crosses_above": ["fast", "slow"]}]}, "then": {"do": "exit"}},
    ],
}


def broken(path: str, value: Any) -> dict[str, Any]:
    """BASE with the value at a dotted path (list items as numbers) replaced."""
    data = copy.deepcopy(BASE)
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return data


def without(path: str) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    del node[last]
    return data


CASES = [
    # the rule set
    ([], "$", "expected an object, got a list"),
    ({}, "$", "missing key 'rules'"),
    (broken("rule", 1), "rule", TOP),
    (broken("rules", []), "rules", "expected at least 1 item, got 0"),
    (broken("rules", {"when": 1}), "rules", "expected a list, got an object"),
    (broken("timeframe", "1min"), "timeframe", f"'1min' {TIMEFRAME}"),
    (broken("description", 3), "description", "expected text, got a number"),
    # rules
    (broken("rules.0", "exit"), "rules[0]", "expected an object, got text"),
    (without("rules.0.then"), "rules[0]", "missing key 'then'"),
    (broken("rules.0.thn", {}), "rules[0].thn", "unknown key (allowed: when, then, name)"),
    (broken("rules.0.name", ""), "rules[0].name", "expected 1 to 100 characters"),
    # conditions
    (
        broken("rules.1.when.all.0.crosses_above", ["fast", "slwo"]),
        "rules[1].when.all[0].crosses_above[1]",
        f"unknown indicator 'slwo' {KNOWN}",
    ),
    (
        broken("rules.1.when.all.0.crosses_above", ["fast", "slow", "close"]),
        "rules[1].when.all[0].crosses_above",
        "expected 2 values, got 3",
    ),
    (
        broken("rules.1.when.all.0.crosses_above", "fast"),
        "rules[1].when.all[0].crosses_above",
        "expected a list, got text",
    ),
    (
        broken("rules.0.when", {"cross": ["fast", "slow"]}),
        "rules[0].when.cross",
        f"unknown condition (known: {CONDITIONS})",
    ),
    (broken("rules.0.when", {}), "rules[0].when", f"{CONDITION} an empty object"),
    (broken("rules.0.when", [">", "close", 1]), "rules[0].when", f"{CONDITION} a list"),
    (
        broken("rules.0.when", {">": ["close", 1], "<": ["close", 2]}),
        "rules[0].when",
        "one condition per object, got >, <: use all or any",
    ),
    (broken("rules.0.when", {"all": []}), "rules[0].when.all", "expected at least 1 item, got 0"),
    (
        broken("rules.0.when", {"any": [{"position": "long"}, 3]}),
        "rules[0].when.any[1]",
        f"{CONDITION} a number",
    ),
    (
        broken("rules.0.when", {"not": [{"position": "long"}]}),
        "rules[0].when.not",
        f"{CONDITION} a list",
    ),
    (
        broken("rules.0.when", {"position": "longg"}),
        "rules[0].when.position",
        "unknown position 'longg' (known: long, short, flat)",
    ),
    (
        broken("rules.0.when", {">": ["close", 1], "tolerance": 1}),
        "rules[0].when.tolerance",
        "unknown key (allowed: >)",
    ),
    (
        broken("rules.0.when", {"==": ["close", 1], "tolerance": -1}),
        "rules[0].when.tolerance",
        "must be >= 0, got -1",
    ),
    (
        broken("rules.0.when", {"<": [1, {"+": [2, 3]}]}),
        "rules[0].when.<",
        "both values are constants: one must read the market",
    ),
    # values
    (broken("rules.0.when", {">": ["close", "bands"]}), "rules[0].when.>[1]", SEVERAL),
    (
        broken("rules.0.when", {">": ["close", "fast.sma"]}),
        "rules[0].when.>[1]",
        "indicator 'fast' has a single value: write 'fast'",
    ),
    (
        broken("rules.0.when", {">": ["close", "bands.top"]}),
        "rules[0].when.>[1]",
        "indicator 'bands' has no line 'top' (lines: middle, upper, lower)",
    ),
    (
        broken("rules.0.when", {">": [{"field": "clos"}, 1]}),
        "rules[0].when.>[0].field",
        f"unknown bar field 'clos' (known: {FIELDS})",
    ),
    (
        broken("rules.0.when", {">": [{"field": "close", "timeframe": "5x"}, 1]}),
        "rules[0].when.>[0].timeframe",
        f"'5x' {TIMEFRAME}",
    ),
    (
        broken("rules.0.when", {">": [{"field": "close", "tf": "5m"}, 1]}),
        "rules[0].when.>[0].tf",
        "unknown key (allowed: field, timeframe)",
    ),
    (
        broken("rules.0.when", {">": ["close", True]}),
        "rules[0].when.>[1]",
        f"expected {VALUES}, got true/false",
    ),
    (
        broken("rules.0.when", {">": ["close", float("nan")]}),
        "rules[0].when.>[1]",
        "expected a finite number, got nan",
    ),
    (
        broken("rules.0.when", {">": ["close", {"%": ["close", 2]}]}),
        "rules[0].when.>[1].%",
        f"unknown value form (expected {VALUES})",
    ),
    (
        broken("rules.0.when", {">": ["close", {"+": ["close"]}]}),
        "rules[0].when.>[1].+",
        "expected 2 values, got 1",
    ),
    (
        broken("rules.0.when", {">": ["close", {"+": ["close", "slwo"]}]}),
        "rules[0].when.>[1].+[1]",
        f"unknown indicator 'slwo' {KNOWN}",
    ),
    (
        broken("rules.0.when", {">": ["close", {"ticks": 1.5}]}),
        "rules[0].when.>[1].ticks",
        "expected a whole number, got 1.5",
    ),
    (
        broken("rules.0.when", {">": ["close", {"ticks": {"param": "level"}}]}),
        "rules[0].when.>[1].ticks.param",
        "parameter 'level' is float, not an int",
    ),
    (
        broken("rules.0.when", {"<": ["close", {"param": "levl"}]}),
        "rules[0].when.<[1].param",
        "unknown parameter 'levl' (declared: level)",
    ),
    # actions
    (
        broken("rules.0.then", {"do": "buy"}),
        "rules[0].then.do",
        "unknown action 'buy' (known: enter_long, enter_short, exit, reverse)",
    ),
    (broken("rules.0.then", {"quantity": 1}), "rules[0].then", "missing key 'do'"),
    (
        broken("rules.0.then", {"do": "exit", "quantity": 1}),
        "rules[0].then.quantity",
        "exit takes no quantity or bracket",
    ),
    (
        broken("rules.0.then.quantity", 0),
        "rules[0].then.quantity",
        "must be a number above 0, got 0",
    ),
    (broken("rules.0.then.quantity", "1"), "rules[0].then.quantity", "expected a number, got text"),
    (
        broken("rules.0.then.size", 1),
        "rules[0].then.size",
        "unknown key (allowed: do, quantity, take_profit, stop_loss)",
    ),
    (
        broken("rules.0.then.stop_loss", {"ticks": 4, "offset": 1}),
        "rules[0].then.stop_loss",
        "expected exactly one of ticks, offset, price",
    ),
    (
        broken("rules.0.then.stop_loss", {"ticks": 0}),
        "rules[0].then.stop_loss.ticks",
        "must be above 0, got 0",
    ),
    (
        broken("rules.0.then.take_profit", {"points": 4}),
        "rules[0].then.take_profit.points",
        "unknown key (allowed: ticks, offset, price)",
    ),
    (
        broken("rules.0.then.take_profit", {"price": "bands"}),
        "rules[0].then.take_profit.price",
        SEVERAL,
    ),
    # indicators
    (
        broken("indicators.fast.type", "emaa"),
        "indicators.fast.type",
        "unknown indicator 'emaa'; known: sma, ema, rsi, macd, atr, bollinger, vwap, donchian",
    ),
    (broken("indicators.fast", {"period": 3}), "indicators.fast", "missing key 'type'"),
    (
        broken("indicators.fast.perod", 3),
        "indicators.fast.perod",
        "sma: unknown parameter 'perod'; accepted: period",
    ),
    (
        broken("indicators.fast.period", 0),
        "indicators.fast.period",
        "sma: period must be an integer >= 1, got 0",
    ),
    (
        broken("indicators.fast.period", 2.5),
        "indicators.fast.period",
        "sma: period must be an integer >= 1, got 2.5",
    ),
    (
        broken("indicators.m", {"type": "macd", "fast": 30}),
        "indicators.m.fast",
        "macd: fast must be less than slow, got fast=30, slow=26",
    ),
    (
        broken("indicators.close", {"type": "sma"}),
        "indicators.close",
        "'close' is a bar field: name the indicator differently",
    ),
    (
        broken("indicators.2fast", {"type": "sma"}),
        "indicators.2fast",
        "indicator name '2fast' is not a name (letters, digits, _)",
    ),
    (
        broken("indicators.my fast", {"type": "sma"}),
        "indicators['my fast']",
        "indicator name 'my fast' is not a name (letters, digits, _)",
    ),
    (
        broken("indicators.range.source", "close"),
        "indicators.range.source",
        "atr reads high, low, close: source is for one-input indicators",
    ),
    (
        broken("indicators.fast.source", "mid"),
        "indicators.fast.source",
        f"unknown bar field 'mid' (known: {FIELDS})",
    ),
    (broken("indicators.fast.timeframe", "15"), "indicators.fast.timeframe", f"'15' {TIMEFRAME}"),
    (broken("indicators", []), "indicators", "expected an object, got a list"),
    # parameters
    (
        broken("parameters.level.type", "decimal"),
        "parameters.level.type",
        "expected one of int, float",
    ),
    (
        broken("parameters.level", {"type": "int", "default": 0, "min": 1}),
        "parameters.level.default",
        "0 is below the minimum 1",
    ),
    (
        broken("parameters.level", {"type": "int", "min": 5, "max": 2}),
        "parameters.level",
        "min 5 is above max 2",
    ),
    (
        broken("parameters.level", {"type": "int", "default": 1.5}),
        "parameters.level.default",
        "1.5 is not an integer",
    ),
    (
        broken("parameters.per", {"type": "int", "default": 0})
        | {"indicators": {"f": {"type": "ema", "period": {"param": "per"}}}},
        "indicators.f.period",
        "ema: period must be an integer >= 1, got 0",
    ),
    (
        broken("rules.0.then.quantity", {"param": "level"})
        | {"parameters": {"level": {"type": "float", "default": -1}}},
        "rules[0].then.quantity",
        "must be a number above 0; parameter 'level' defaults to -1.0",
    ),
    # the window
    (
        broken("window", {"start": "8:30", "end": "15:00"}),
        "window.start",
        "'8:30' is not a time of day as HH:MM (00:00 to 23:59)",
    ),
    (
        broken("window", {"start": "08:30", "end": "24:00"}),
        "window.end",
        "'24:00' is not a time of day as HH:MM (00:00 to 23:59)",
    ),
    (broken("window", {"start": "08:30"}), "window", "missing key 'end'"),
    (
        broken("window", {"start": "08:30", "end": "08:30"}),
        "window",
        "start and end are the same time",
    ),
    (
        broken("window", {"start": "08:30", "end": "15:00", "timezone": "America/Chicgo"}),
        "window.timezone",
        "unknown time zone 'America/Chicgo'",
    ),
    (
        broken("window", {"start": "08:30", "end": "15:00", "timezone": "../etc/passwd"}),
        "window.timezone",
        "unknown time zone '../etc/passwd'",
    ),
    (
        broken("window", {"start": "08:30", "end": "15:00", "timezone": "America"}),
        "window.timezone",
        "unknown time zone 'America'",
    ),
    (
        broken("window", {"start": "08:30", "end": "15:00", "days": ["mon", "wen"]}),
        "window.days[1]",
        f"unknown day 'wen' (known: {DAYS})",
    ),
    (
        broken("window", {"start": "08:30", "end": "15:00", "days": ["mon", "mon"]}),
        "window.days[1]",
        "'mon' is listed twice",
    ),
    (
        broken("window", {"start": "08:30", "end": "15:00", "days": []}),
        "window.days",
        "expected at least 1 item, got 0",
    ),
    (
        broken("window", {"start": "08:30", "end": "15:00", "flatten": "yes"}),
        "window.flatten",
        "expected true or false, got text",
    ),
]


def test_the_base_rule_set_is_valid() -> None:
    parse_rules(BASE)


@pytest.mark.parametrize(("data", "path", "problem"), CASES, ids=[c[1] for c in CASES])
def test_an_invalid_rule_set_names_the_offending_part(data: Any, path: str, problem: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_rules(data)
    assert (caught.value.path, caught.value.problem) == (path, problem)
    assert str(caught.value) == f"{path}: {problem}"


def test_unknown_indicator_types_and_parameters_reuse_the_registry_messages() -> None:
    with pytest.raises(ValueError, match=r".*") as expected:
        registry.indicator("emaa")
    with pytest.raises(RuleError) as caught:
        parse_rules(broken("indicators.fast.type", "emaa"))
    assert caught.value.problem == str(expected.value)
    with pytest.raises(ValueError, match=r".*") as expected:
        registry.indicator("sma", perod=3)
    with pytest.raises(RuleError) as caught:
        parse_rules(broken("indicators.fast.perod", 3))
    assert caught.value.problem == str(expected.value)


def test_the_first_problem_in_document_order_is_reported() -> None:
    data = broken("rules.0.when", {">": ["close", "slwo"]})
    data["rules"][1]["then"] = {"do": "buy"}
    with pytest.raises(RuleError) as caught:
        parse_rules(data)
    assert caught.value.path == "rules[0].when.>[1]"


def test_a_rule_error_is_a_value_error_as_the_strategy_catalog_expects() -> None:
    with pytest.raises(ValueError, match=r"^rules: expected at least 1 item, got 0$"):
        parse_rules({"rules": []})


def test_given_parameters_are_checked_against_the_declared_ones() -> None:
    rules = parse_rules(BASE)
    with pytest.raises(ParameterError, match="'levl'"):
        RuleStrategy(rules, {"levl": 3})
    with pytest.raises(ParameterError, match="is not a number"):
        RuleStrategy(rules, {"level": "high"})


def test_a_parameter_value_that_breaks_a_rule_is_reported_where_it_is_used() -> None:
    data = {
        "parameters": {"fast": {"type": "int", "default": 12}, "qty": {"type": "int"}},
        "indicators": {"m": {"type": "macd", "fast": {"param": "fast"}}},
        "rules": [
            {
                "when": {">": ["m.histogram", 0]},
                "then": {"do": "enter_long", "quantity": {"param": "qty"}},
            }
        ],
    }
    rules = parse_rules(data)  # qty has no default: checked once it has a value
    RuleStrategy(rules, {"qty": 2})
    with pytest.raises(RuleError) as caught:
        RuleStrategy(rules, {"fast": 40, "qty": 2})
    assert caught.value.path == "indicators.m.fast"
    assert caught.value.problem == (
        "macd: fast must be less than slow, got fast=40, slow=26 (with parameters fast=40, qty=2)"
    )
    with pytest.raises(RuleError) as caught:
        RuleStrategy(rules, {"qty": 0})
    assert caught.value.path == "rules[0].then.quantity"
    with pytest.raises(ParameterError, match="'qty': is required"):
        RuleStrategy(rules, {})


def test_the_catalog_refuses_a_version_whose_rules_are_invalid() -> None:
    bad = {"rules": [{"when": {">": ["close", "slwo"]}, "then": {"do": "exit"}}]}
    with pytest.raises(RuleError, match=r"^rules\[0\]\.when\.>\[1\]: unknown indicator 'slwo'"):
        runner(bad)
    with pytest.raises(RuleError, match=r"^\$: missing key 'rules'$"):
        runner({})


def test_absurdly_deep_nesting_is_refused_with_a_rule_error() -> None:
    condition: Any = {"position": "flat"}
    for _ in range(5000):
        condition = {"not": condition}
    with pytest.raises(RuleError, match="nested more than 64 levels deep"):
        parse_rules({"rules": [{"when": condition, "then": {"do": "exit"}}]})
    value: Any = "close"
    for _ in range(100):
        value = {"+": [value, 1]}
    with pytest.raises(RuleError, match=r"^rules\[0\]\.when\.>\[0\](\.\+\[0\])+: nested more"):
        parse_rules({"rules": [{"when": {">": [value, 1]}, "then": {"do": "exit"}}]})
