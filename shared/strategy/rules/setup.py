"""Parsing the declarations of a rule set: its parameters and indicators."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from shared.indicators import registry
from shared.strategy.params import Param, ParameterError
from shared.strategy.rules import reader
from shared.strategy.rules.errors import RuleError
from shared.strategy.rules.nodes import BAR_FIELDS, Const, Number
from shared.strategy.rules.ruleset import IndicatorSpec
from shared.strategy.rules.values import Scope, parse_number

KINDS: Mapping[str, type] = {"int": int, "float": float}
INDICATOR_KEYS = ("type", "timeframe", "source")


def parse_parameters(data: object, path: str) -> tuple[Param, ...]:
    """``{"fast": {"type": "int", "default": 9, "min": 2, "max": 50, "doc": "..."}}``."""
    params = []
    for key, given in reader.obj(data, path, (), tuple(_keys(data))).items():
        sub = reader.at(path, key)
        name = reader.name(key, sub, "parameter")
        spec = reader.obj(given, sub, ("type",), ("default", "min", "max", "choices", "doc"))
        kind = KINDS.get(reader.text(spec["type"], reader.at(sub, "type")), None)
        if kind is None:
            raise RuleError(reader.at(sub, "type"), f"expected one of {', '.join(KINDS)}")
        low, high = (
            reader.number(spec[k], reader.at(sub, k)) if k in spec else None for k in ("min", "max")
        )
        if low is not None and high is not None and low > high:
            raise RuleError(sub, f"min {low!r} is above max {high!r}")
        choices = tuple(
            reader.number(c, reader.item(reader.at(sub, "choices"), i))
            for i, c in enumerate(reader.seq(spec.get("choices", []), reader.at(sub, "choices")))
        )
        doc = reader.text(spec.get("doc", ""), reader.at(sub, "doc"))
        param = Param(name, kind, None, low, high, choices, doc)
        if "default" in spec:
            try:
                default = param.check(reader.number(spec["default"], reader.at(sub, "default")))
            except ParameterError as error:
                raise RuleError(reader.at(sub, "default"), error.problem) from None
            param = Param(name, kind, default, low, high, choices, doc)
        params.append(param)
    return tuple(params)


@functools.cache
def _accepted(kind: str) -> tuple[str, ...]:
    """The parameters of an indicator type (the registry reads them from its signature)."""
    return tuple(registry.parameters(kind))


def _keys(data: object) -> list[str]:
    return [str(k) for k in data] if isinstance(data, Mapping) else []


def parse_indicators(data: object, path: str, scope: Scope) -> tuple[IndicatorSpec, ...]:
    """``{"fast": {"type": "ema", "period": 9, "timeframe": "15m", "source": "close"}}``."""
    specs = []
    for key, given in reader.obj(data, path, (), tuple(_keys(data))).items():
        sub = reader.at(path, key)
        name = reader.name(key, sub, "indicator name")
        if name in BAR_FIELDS:
            raise RuleError(sub, f"{name!r} is a bar field: name the indicator differently")
        spec = reader.obj(given, sub, ("type",), tuple(k for k in _keys(given) if k != "type"))
        kind = reader.text(spec["type"], reader.at(sub, "type")).lower()
        try:
            accepted = _accepted(kind)
        except ValueError as error:
            raise RuleError(reader.at(sub, "type"), str(error)) from None
        params: list[tuple[str, Number]] = []
        for param, value in spec.items():
            if param in INDICATOR_KEYS:
                continue
            if param not in accepted:
                known = ", ".join(accepted) or "none"
                problem = f"{kind}: unknown parameter {param!r}; accepted: {known}"
                raise RuleError(reader.at(sub, param), problem)
            params.append((param, parse_number(value, reader.at(sub, param), scope)))
        inputs: tuple[str, ...] = getattr(registry.INDICATORS[kind], "INPUTS", ("close",))
        timeframe = source = None
        if "timeframe" in spec:
            timeframe = reader.timeframe(spec["timeframe"], reader.at(sub, "timeframe"))
        if "source" in spec:
            source = _source(spec["source"], reader.at(sub, "source"), kind, inputs)
        _probe(kind, params, sub, scope)
        specs.append(IndicatorSpec(name, kind, tuple(params), timeframe, source))
    return tuple(specs)


def _source(data: object, path: str, kind: str, inputs: tuple[str, ...]) -> str:
    source = reader.text(data, path)
    if len(inputs) > 1:
        raise RuleError(
            path, f"{kind} reads {', '.join(inputs)}: source is for one-input indicators"
        )
    if source not in BAR_FIELDS:
        raise RuleError(path, f"unknown bar field {source!r} (known: {', '.join(BAR_FIELDS)})")
    return source


def _probe(kind: str, params: list[tuple[str, Number]], path: str, scope: Scope) -> None:
    """Build the indicator once, so the registry checks the values (defaults of parameters)."""
    values: dict[str, object] = {}
    for key, number in params:
        value = number.value if isinstance(number, Const) else scope.parameters[number.name].default
        if value is None:
            return  # a required parameter: checked when the strategy gets its value
        values[key] = value
    try:
        registry.INDICATORS[kind](**values)  # the names were checked as the registry does
    except ValueError as error:
        named = [key for key in values if str(error).startswith(f"{key} ")]
        where = reader.at(path, named[0]) if named else path
        raise RuleError(where, f"{kind}: {error}") from None
