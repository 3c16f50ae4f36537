"""What a rule set reads: its bar fields and indicators, and the timeframes they live on."""

from __future__ import annotations

from shared.strategy.rules.nodes import (
    AllOf,
    AnyOf,
    Arith,
    Compare,
    Condition,
    Cross,
    FieldRef,
    IndicatorRef,
    Not,
    Operand,
)
from shared.strategy.rules.ruleset import RuleSet


def references(rules: RuleSet) -> list[FieldRef | IndicatorRef]:
    """Every bar field and indicator the rules read, in order of first use."""
    found: dict[FieldRef | IndicatorRef, None] = {}

    def operand(node: Operand) -> None:
        if isinstance(node, (FieldRef, IndicatorRef)):
            found[node] = None
        elif isinstance(node, Arith):
            operand(node.left)
            operand(node.right)

    def condition(node: Condition) -> None:
        if isinstance(node, (Compare, Cross)):
            operand(node.left)
            operand(node.right)
        elif isinstance(node, (AllOf, AnyOf)):
            for part in node.parts:
                condition(part)
        elif isinstance(node, Not):
            condition(node.part)

    for rule in rules.rules:
        condition(rule.when)
        for leg in (rule.then.take_profit, rule.then.stop_loss):
            if leg is not None and leg.kind == "price":
                operand(leg.value)
    return list(found)


def timeframes(rules: RuleSet) -> set[str]:
    """The timeframes the rule set names explicitly (its indicators' and fields')."""
    named = [spec.timeframe for spec in rules.indicators]
    named += [n.timeframe for n in references(rules) if isinstance(n, FieldRef)]
    return {tf for tf in named if tf is not None}
