"""``parse_rules``: plain JSON data to a checked, immutable ``RuleSet`` (no ``eval``).

The parser stops at the first problem and raises ``RuleError`` with its path.
"""

from __future__ import annotations

from typing import Any

from shared.indicators import registry
from shared.strategy.rules import reader
from shared.strategy.rules.conditions import parse_action, parse_condition
from shared.strategy.rules.errors import RuleError
from shared.strategy.rules.ruleset import Rule, RuleSet
from shared.strategy.rules.setup import parse_indicators, parse_parameters
from shared.strategy.rules.values import Scope
from shared.strategy.rules.window import parse_window

TOP_KEYS = ("description", "timeframe", "parameters", "indicators", "window")
RULE_NAME_MAX = 100


def parse_rules(data: Any) -> RuleSet:
    """Parse and check a rule set; RuleError names the first offending part by its path."""
    spec = reader.obj(data, reader.ROOT, ("rules",), TOP_KEYS)
    description = reader.text(spec.get("description", ""), "description")
    timeframe = reader.timeframe(spec["timeframe"], "timeframe") if "timeframe" in spec else None
    parameters = parse_parameters(spec.get("parameters", {}), "parameters")
    scope = Scope({}, {p.name: p for p in parameters})
    indicators = parse_indicators(spec.get("indicators", {}), "indicators", scope)
    outputs = {
        i.name: tuple(getattr(registry.INDICATORS[i.type], "OUTPUTS", (i.type,)))
        for i in indicators
    }
    scope = Scope(outputs, scope.parameters)
    window = parse_window(spec["window"], "window") if "window" in spec else None
    items = reader.seq(spec["rules"], "rules", least=1)
    rules = tuple(_rule(item, reader.item("rules", i), scope) for i, item in enumerate(items))
    return RuleSet(rules, indicators, parameters, timeframe, window, description)


def _rule(data: object, path: str, scope: Scope) -> Rule:
    spec = reader.obj(data, path, ("when", "then"), ("name",))
    name = None
    if "name" in spec:
        name = reader.text(spec["name"], reader.at(path, "name"))
        if not 0 < len(name) <= RULE_NAME_MAX:
            raise RuleError(reader.at(path, "name"), f"expected 1 to {RULE_NAME_MAX} characters")
    when = parse_condition(spec["when"], reader.at(path, "when"), scope)
    then = parse_action(spec["then"], reader.at(path, "then"), scope)
    return Rule(when, then, name)
