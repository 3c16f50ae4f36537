"""Parsing conditions (``when``) and actions (``then``)."""

from __future__ import annotations

from collections.abc import Mapping

from shared.strategy.rules import reader
from shared.strategy.rules.errors import RuleError
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
    PositionIs,
)
from shared.strategy.rules.ruleset import Action, Exit
from shared.strategy.rules.values import Scope, check_number, parse_number, parse_operand

COMPARE = (">", ">=", "<", "<=", "==")
CROSS = ("crosses_above", "crosses_below")
CONDITIONS = ("all", "any", "not", *CROSS, *COMPARE, "position")
SIDES = ("long", "short", "flat")
ACTIONS = ("enter_long", "enter_short", "exit", "reverse")
EXIT_FORMS = ("ticks", "offset", "price")


def parse_condition(data: object, path: str, scope: Scope) -> Condition:
    """One condition object: ``{"<operator>": ...}`` (``==`` may add ``tolerance``)."""
    reader.nested(path)
    if not isinstance(data, Mapping) or not data:
        got = "an empty object" if isinstance(data, Mapping) else reader.kind(data)
        raise RuleError(
            path, f'expected a condition such as {{"crosses_above": [a, b]}}, got {got}'
        )
    ops = [key for key in data if key in CONDITIONS]
    if not ops:
        key = next(iter(data))
        raise RuleError(reader.at(path, key), f"unknown condition (known: {', '.join(CONDITIONS)})")
    if len(ops) > 1:
        raise RuleError(path, f"one condition per object, got {', '.join(ops)}: use all or any")
    op = ops[0]
    spec = reader.obj(data, path, (op,), ("tolerance",) if op == "==" else ())
    sub = reader.at(path, op)
    if op in ("all", "any"):
        items = reader.seq(spec[op], sub, least=1)
        parts = tuple(parse_condition(x, reader.item(sub, i), scope) for i, x in enumerate(items))
        return AllOf(parts) if op == "all" else AnyOf(parts)
    if op == "not":
        return Not(parse_condition(spec[op], sub, scope))
    if op == "position":
        side = reader.text(spec[op], sub)
        if side not in SIDES:
            raise RuleError(sub, f"unknown position {side!r} (known: {', '.join(SIDES)})")
        return PositionIs(side)
    left, right = _pair(spec[op], sub, scope)
    if op in CROSS:
        return Cross(op, left, right)
    tolerance = None
    if "tolerance" in spec:
        tolerance = parse_number(spec["tolerance"], reader.at(path, "tolerance"), scope)
        check_number(tolerance, reader.at(path, "tolerance"), scope, lambda v: v >= 0, ">= 0")
    return Compare(op, left, right, tolerance)


def _pair(data: object, path: str, scope: Scope) -> tuple[Operand, Operand]:
    left, right = reader.seq(data, path, exactly=2)
    pair = (
        parse_operand(left, reader.item(path, 0), scope),
        parse_operand(right, reader.item(path, 1), scope),
    )
    if not (_varies(pair[0]) or _varies(pair[1])):
        raise RuleError(path, "both values are constants: one must read the market")
    return pair


def _varies(operand: Operand) -> bool:
    if isinstance(operand, (FieldRef, IndicatorRef)):
        return True
    if isinstance(operand, Arith):
        return _varies(operand.left) or _varies(operand.right)
    return False


def parse_action(data: object, path: str, scope: Scope) -> Action:
    """``{"do": "enter_long", "quantity": 2, "take_profit": {...}, "stop_loss": {...}}``."""
    spec = reader.obj(data, path, ("do",), ("quantity", "take_profit", "stop_loss"))
    do = reader.text(spec["do"], reader.at(path, "do"))
    if do not in ACTIONS:
        raise RuleError(
            reader.at(path, "do"), f"unknown action {do!r} (known: {', '.join(ACTIONS)})"
        )
    if do == "exit":
        for key in spec:
            if key != "do":
                raise RuleError(reader.at(path, key), "exit takes no quantity or bracket")
        return Action(do)
    quantity = None
    if "quantity" in spec:
        key = reader.at(path, "quantity")
        quantity = parse_number(spec["quantity"], key, scope)
        check_number(quantity, key, scope, lambda v: v > 0, "a number above 0")
    take_profit, stop_loss = (
        _exit(spec[key], reader.at(path, key), scope) if key in spec else None
        for key in ("take_profit", "stop_loss")
    )
    return Action(do, quantity, take_profit, stop_loss)


def _exit(data: object, path: str, scope: Scope) -> Exit:
    spec = reader.obj(data, path, (), EXIT_FORMS)
    if len(spec) != 1:
        raise RuleError(path, f"expected exactly one of {', '.join(EXIT_FORMS)}")
    kind = next(iter(spec))
    sub = reader.at(path, kind)
    if kind == "price":
        return Exit(kind, parse_operand(spec[kind], sub, scope))
    value = parse_number(spec[kind], sub, scope, whole=kind == "ticks")
    check_number(value, sub, scope, lambda v: v > 0, "above 0")
    return Exit(kind, value)
