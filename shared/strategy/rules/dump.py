"""A ``RuleSet`` back to plain JSON data (the canonical form), and binding its parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.strategy.params import Param, ParamValue
from shared.strategy.rules.errors import RuleError
from shared.strategy.rules.nodes import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Const,
    Cross,
    FieldRef,
    IndicatorRef,
    Not,
    Operand,
    ParamRef,
    PositionIs,
    Ticks,
)
from shared.strategy.rules.parser import parse_rules
from shared.strategy.rules.ruleset import Action, Exit, RuleSet, Window
from shared.strategy.rules.window import DAYS


def dump_rules(rules: RuleSet) -> dict[str, Any]:
    """The canonical JSON form: ``parse_rules(dump_rules(r)) == r``."""
    out: dict[str, Any] = {}
    if rules.description:
        out["description"] = rules.description
    if rules.timeframe is not None:
        out["timeframe"] = rules.timeframe
    if rules.parameters:
        out["parameters"] = {p.name: _param(p) for p in rules.parameters}
    if rules.indicators:
        out["indicators"] = {
            i.name: {
                "type": i.type,
                **{key: _value(value) for key, value in i.params},
                **({"timeframe": i.timeframe} if i.timeframe is not None else {}),
                **({"source": i.source} if i.source is not None else {}),
            }
            for i in rules.indicators
        }
    if rules.window is not None:
        out["window"] = _window(rules.window)
    out["rules"] = [
        {
            **({"name": r.name} if r.name is not None else {}),
            "when": _condition(r.when),
            "then": _action(r.then),
        }
        for r in rules.rules
    ]
    return out


def bind(rules: RuleSet, values: Mapping[str, ParamValue]) -> RuleSet:
    """The rule set with every parameter reference replaced by its value, checked again."""
    if not rules.parameters:
        return rules
    data = dump_rules(rules)
    del data["parameters"]
    try:
        return parse_rules(_substitute(data, values))
    except RuleError as error:
        given = ", ".join(f"{k}={v}" for k, v in sorted(values.items()))
        raise RuleError(error.path, f"{error.problem} (with parameters {given})") from None


def _substitute(data: Any, values: Mapping[str, ParamValue]) -> Any:
    if isinstance(data, dict):
        if len(data) == 1 and isinstance(data.get("param"), str):
            return values[data["param"]]
        return {key: _substitute(value, values) for key, value in data.items()}
    if isinstance(data, list):
        return [_substitute(value, values) for value in data]
    return data


def _param(param: Param) -> dict[str, Any]:
    out: dict[str, Any] = {"type": param.kind.__name__}
    for key, value in (("default", param.default), ("min", param.low), ("max", param.high)):
        if value is not None:
            out[key] = value
    if param.choices:
        out["choices"] = list(param.choices)
    if param.doc:
        out["doc"] = param.doc
    return out


def _window(window: Window) -> dict[str, Any]:
    out: dict[str, Any] = {
        "start": window.start.strftime("%H:%M"),
        "end": window.end.strftime("%H:%M"),
        "timezone": window.timezone,
    }
    if len(window.days) < len(DAYS):
        out["days"] = [DAYS[d] for d in window.days]
    if window.flatten:
        out["flatten"] = True
    return out


def _value(node: Operand) -> Any:
    if isinstance(node, Const):
        return node.value
    if isinstance(node, ParamRef):
        return {"param": node.name}
    if isinstance(node, Ticks):
        return {"ticks": _value(node.count)}
    if isinstance(node, FieldRef):
        return (
            node.field
            if node.timeframe is None
            else {"field": node.field, "timeframe": node.timeframe}
        )
    if isinstance(node, IndicatorRef):
        return node.name if node.output is None else f"{node.name}.{node.output}"
    return {node.op: [_value(node.left), _value(node.right)]}


def _condition(node: Condition) -> dict[str, Any]:
    if isinstance(node, Compare):
        out: dict[str, Any] = {node.op: [_value(node.left), _value(node.right)]}
        if node.tolerance is not None:
            out["tolerance"] = _value(node.tolerance)
        return out
    if isinstance(node, Cross):
        return {node.op: [_value(node.left), _value(node.right)]}
    if isinstance(node, (AllOf, AnyOf)):
        return {"all" if isinstance(node, AllOf) else "any": [_condition(p) for p in node.parts]}
    if isinstance(node, Not):
        return {"not": _condition(node.part)}
    assert isinstance(node, PositionIs)
    return {"position": node.side}


def _action(action: Action) -> dict[str, Any]:
    out: dict[str, Any] = {"do": action.do}
    if action.quantity is not None:
        out["quantity"] = _value(action.quantity)
    for key, leg in (("take_profit", action.take_profit), ("stop_loss", action.stop_loss)):
        if leg is not None:
            out[key] = _exit(leg)
    return out


def _exit(leg: Exit) -> dict[str, Any]:
    return {leg.kind: _value(leg.value)}
