"""Declared strategy parameters: types, ranges, choices and defaults, checked once at start."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

ParamValue = int | float | bool | str | Decimal


class ParameterError(ValueError):
    """A parameter is unknown, missing, of the wrong type or out of range; names which."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"parameter {name!r}: {problem}")
        self.name = name
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter a strategy accepts.

    ``kind`` is ``int``, ``float``, ``bool``, ``str`` or ``Decimal``; ``low``/``high`` bound
    numbers (inclusive); ``choices`` restrict the allowed values. A parameter without a
    default is required.
    """

    name: str
    kind: type
    default: ParamValue | None = None
    low: float | None = None
    high: float | None = None
    choices: tuple[ParamValue, ...] = ()
    doc: str = ""

    def __post_init__(self) -> None:
        # A declaration whose default breaks its own rules is a bug in the strategy: fail at
        # import, and keep the default in its declared type (e.g. 2 -> 2.0 for a float).
        if self.default is not None:
            object.__setattr__(self, "default", self.check(self.default))

    def check(self, raw: object) -> ParamValue:
        """The value converted to ``kind``, or ParameterError naming the problem."""
        value = _convert(self.name, self.kind, raw)
        if self.choices and value not in self.choices:
            allowed = ", ".join(str(c) for c in self.choices)
            raise ParameterError(self.name, f"{raw!r} is not one of {allowed}")
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            if self.low is not None and value < self.low:
                raise ParameterError(self.name, f"{raw!r} is below the minimum {self.low:g}")
            if self.high is not None and value > self.high:
                raise ParameterError(self.name, f"{raw!r} is above the maximum {self.high:g}")
        return value


def _to_bool(name: str, raw: object) -> ParamValue:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in {"true", "false"}:
        return raw.strip().lower() == "true"
    raise ParameterError(name, f"{raw!r} is not true or false")


def _to_int(name: str, raw: object) -> ParamValue:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, Decimal) and raw.is_finite() and raw == raw.to_integral_value():
        return int(raw)
    if isinstance(raw, str):
        try:
            return int(raw.strip())
        except ValueError:
            pass
    raise ParameterError(name, f"{raw!r} is not an integer")


def _to_number(name: str, raw: object) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str, Decimal)):
        raise ParameterError(name, f"{raw!r} is not a number")
    try:
        number = Decimal(raw.strip() if isinstance(raw, str) else str(raw))
    except InvalidOperation:
        raise ParameterError(name, f"{raw!r} is not a number") from None
    if not number.is_finite():
        raise ParameterError(name, f"{raw!r} is not a finite number")
    return number


def _to_float(name: str, raw: object) -> ParamValue:
    value = float(_to_number(name, raw))
    if value in (float("inf"), float("-inf")):
        raise ParameterError(name, f"{raw!r} is not a finite number")
    return value


def _to_str(name: str, raw: object) -> ParamValue:
    if not isinstance(raw, str):
        raise ParameterError(name, f"{raw!r} is not text")
    return raw


_CONVERTERS: dict[type, Callable[[str, object], ParamValue]] = {
    bool: _to_bool,
    int: _to_int,
    float: _to_float,
    Decimal: _to_number,
    str: _to_str,
}


def _convert(name: str, kind: type, raw: object) -> ParamValue:
    converter = _CONVERTERS.get(kind)
    if converter is None:
        raise ParameterError(name, f"has an unsupported type {kind.__name__}")
    return converter(name, raw)


def resolve(declared: Sequence[Param], given: Mapping[str, Any]) -> dict[str, ParamValue]:
    """Every declared parameter's value: given ones checked, the rest from defaults."""
    known = {p.name: p for p in declared}
    for name in given:
        if name not in known:
            accepted = ", ".join(known) or "none"
            raise ParameterError(
                name, f"is not a parameter of this strategy (accepted: {accepted})"
            )
    values: dict[str, ParamValue] = {}
    for param in declared:
        if param.name in given:
            values[param.name] = param.check(given[param.name])
        elif param.default is None:
            raise ParameterError(param.name, "is required")
        else:
            values[param.name] = param.default
    return values


def describe(declared: Sequence[Param]) -> list[dict[str, object]]:
    """The declarations as plain data (for docs, the API and ``tickstream strategy types``)."""
    return [
        {
            "name": p.name,
            "type": p.kind.__name__,
            "default": p.default,
            "min": p.low,
            "max": p.high,
            "choices": list(p.choices),
            "doc": p.doc,
        }
        for p in declared
    ]
