"""Parsing the values conditions compare: numbers, parameters, bar fields, indicators."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from shared.strategy.params import Param
from shared.strategy.rules import reader
from shared.strategy.rules.errors import RuleError
from shared.strategy.rules.nodes import (
    BAR_FIELDS,
    Arith,
    Const,
    FieldRef,
    IndicatorRef,
    Number,
    Operand,
    ParamRef,
    Ticks,
)

ARITH = ("+", "-", "*", "/")
OPERAND_FORMS = (
    'a number, a bar field, an indicator, {"field": ..., "timeframe": ...}, '
    '{"param": ...}, {"ticks": ...} or {"+"|"-"|"*"|"/": [a, b]}'
)


@dataclass(frozen=True, slots=True)
class Scope:
    """What names a rule may use: indicators (with their output lines) and parameters."""

    indicators: Mapping[str, tuple[str, ...]]
    parameters: Mapping[str, Param]


def parse_number(data: object, path: str, scope: Scope, *, whole: bool = False) -> Number:
    """A number, or ``{"param": name}`` naming a declared numeric parameter."""
    if isinstance(data, Mapping):
        spec = reader.obj(data, path, ("param",))
        key = reader.at(path, "param")
        param = scope.parameters.get(reader.text(spec["param"], key))
        if param is None:
            declared = ", ".join(scope.parameters) or "none declared"
            raise RuleError(key, f"unknown parameter {spec['param']!r} (declared: {declared})")
        if param.kind is not int and (whole or param.kind is not float):
            need = "an int" if whole else "a number"
            raise RuleError(key, f"parameter {param.name!r} is {param.kind.__name__}, not {need}")
        return ParamRef(param.name)
    value = reader.number(data, path)
    if whole and not isinstance(value, int):
        raise RuleError(path, f"expected a whole number, got {value!r}")
    return Const(value)


def check_number(
    number: Number, path: str, scope: Scope, test: Callable[[float], bool], what: str
) -> None:
    """Check a number (a parameter's default, when it has one) with ``test``."""
    if isinstance(number, Const):
        if not test(number.value):
            raise RuleError(path, f"must be {what}, got {number.value!r}")
        return
    default = scope.parameters[number.name].default
    if isinstance(default, (int, float)) and not test(default):
        raise RuleError(path, f"must be {what}; parameter {number.name!r} defaults to {default!r}")


def parse_operand(data: object, path: str, scope: Scope) -> Operand:
    """A value: number, bar field, indicator, other-timeframe field, parameter, ticks, sum..."""
    reader.nested(path)
    if isinstance(data, str):
        return _named(data, path, scope)
    if isinstance(data, (int, float)) and not isinstance(data, bool):
        return Const(reader.number(data, path))
    if not isinstance(data, Mapping) or not data:
        raise RuleError(path, f"expected {OPERAND_FORMS}, got {reader.kind(data)}")
    if "field" in data:
        spec = reader.obj(data, path, ("field",), ("timeframe",))
        field = _field(spec["field"], reader.at(path, "field"))
        if "timeframe" not in spec:
            return FieldRef(field)
        return FieldRef(field, reader.timeframe(spec["timeframe"], reader.at(path, "timeframe")))
    if "param" in data:
        return parse_number(data, path, scope)
    if "ticks" in data:
        spec = reader.obj(data, path, ("ticks",))
        count = parse_number(spec["ticks"], reader.at(path, "ticks"), scope, whole=True)
        return Ticks(count)
    op = next(iter(data))
    if len(data) == 1 and op in ARITH:
        sub = reader.at(path, op)
        left, right = reader.seq(data[op], sub, exactly=2)
        return Arith(
            op,
            parse_operand(left, reader.item(sub, 0), scope),
            parse_operand(right, reader.item(sub, 1), scope),
        )
    raise RuleError(reader.at(path, op), f"unknown value form (expected {OPERAND_FORMS})")


def _field(data: object, path: str) -> str:
    field = reader.text(data, path)
    if field not in BAR_FIELDS:
        raise RuleError(path, f"unknown bar field {field!r} (known: {', '.join(BAR_FIELDS)})")
    return field


def _named(text: str, path: str, scope: Scope) -> Operand:
    if text in BAR_FIELDS:
        return FieldRef(text)
    base, dot, output = text.partition(".")
    outputs = scope.indicators.get(base)
    if outputs is None:
        known = ", ".join(scope.indicators) or "none declared"
        raise RuleError(path, f"unknown indicator {base!r} (known: {known})")
    several = len(outputs) > 1
    if not dot:
        if several:
            lines = ", ".join(f"{base}.{o}" for o in outputs)
            raise RuleError(path, f"indicator {base!r} has several lines: write one of {lines}")
        return IndicatorRef(base)
    if not several:
        raise RuleError(path, f"indicator {base!r} has a single value: write {base!r}")
    if output not in outputs:
        lines = ", ".join(outputs)
        raise RuleError(path, f"indicator {base!r} has no line {output!r} (lines: {lines})")
    return IndicatorRef(base, output)
