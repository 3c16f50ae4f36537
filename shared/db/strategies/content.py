"""A version's content: checked before it is stored, and read back into a definition.

Parameters of built-in strategies are stored resolved (every declared one, defaults
included, in its declared type), and amounts in one spelling, so ``fast=5`` given as text
or as a number, a default given explicitly, or a capital of ``100000.00`` instead of
``100000`` makes the same content and the same hash.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import replace
from decimal import Decimal
from typing import Any

from shared.instruments import InstrumentRegistry
from shared.strategy.catalog import runner_for, strategy_class
from shared.strategy.definition import Sizing, StrategyDefinition, Subscription
from shared.strategy.params import ParamValue, resolve
from shared.strategy.rules import RuleStrategy

MAX_CAPITAL = Decimal(10) ** 15
TIMEFRAME = re.compile(r"^[1-9][0-9]{0,3}[smhdw]$")
CHANGEABLE = frozenset(
    {"name", "code_ref", "subscriptions", "parameters", "rules", "sizing", "capital"}
)


def subscriptions_of(given: Iterable[Subscription | tuple[str, str]]) -> tuple[Subscription, ...]:
    """(symbol, timeframe) pairs as subscriptions, in order."""
    return tuple(Subscription(str(symbol), str(timeframe)) for symbol, timeframe in given)


def _parameters(code_ref: str, given: Mapping[str, Any]) -> dict[str, ParamValue]:
    cls = strategy_class(code_ref)  # UnknownStrategy (a ValueError) names the known codes
    if cls is RuleStrategy:
        return dict(given)
    return resolve(cls.PARAMS, given)


def checked(definition: StrategyDefinition, instruments: InstrumentRegistry) -> StrategyDefinition:
    """The definition with its parameters resolved, once it builds and starts.

    Raises ValueError (ParameterError, RuleError, UnknownStrategy among them) naming the
    problem: a missing name, no or unknown markets, a bad timeframe, parameter or rule.
    """
    d = definition
    if not d.name.strip():
        raise ValueError("a strategy needs a name")
    if not d.subscriptions:
        raise ValueError("a strategy needs at least one symbol and timeframe")
    for symbol, timeframe in d.subscriptions:
        if symbol not in instruments:
            raise ValueError(f"unknown symbol {symbol!r}")
        if not TIMEFRAME.match(timeframe):
            raise ValueError(f"timeframe {timeframe!r} is not a count and a unit, e.g. 1m or 4h")
    if len(set(d.subscriptions)) != len(d.subscriptions):
        raise ValueError("a symbol and timeframe is given twice")
    if not d.capital.is_finite() or d.capital <= 0:
        raise ValueError(f"capital {d.capital} is not above 0")
    if d.capital > MAX_CAPITAL:
        raise ValueError(f"capital {d.capital} is above {MAX_CAPITAL:,}")
    sizing = Sizing(d.sizing.mode, _canonical(d.sizing.quantity), _canonical(d.sizing.fraction))
    normal = replace(
        d,
        parameters=_parameters(d.code_ref, d.parameters),
        sizing=sizing,
        capital=_canonical(d.capital),
    )
    # A dry start runs the checks strategies make in on_start (e.g. fast below slow).
    try:
        runner_for(normal, instruments, history_size=1).start(0, "check")
    except ValueError:
        raise
    except Exception as exc:  # a strategy's own bug: refused here rather than live
        raise ValueError(f"{d.code_ref} does not start: {exc!r}") from exc
    return normal


def _canonical(number: Decimal) -> Decimal:
    """One spelling per value (``2.0`` and ``2`` hash alike), without exponents for integers."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def changed(current: StrategyDefinition, changes: Mapping[str, Any]) -> StrategyDefinition:
    """``current`` with the given fields replaced (parameters as a whole, not merged)."""
    unknown = sorted(set(changes) - CHANGEABLE)
    if unknown:
        known = ", ".join(sorted(CHANGEABLE))
        raise ValueError(f"cannot change {', '.join(unknown)}; only {known}")
    values = dict(changes)
    if "subscriptions" in values:
        values["subscriptions"] = subscriptions_of(values["subscriptions"])
    if "capital" in values:
        values["capital"] = Decimal(values["capital"])
    if "parameters" in values:
        values["parameters"] = dict(values["parameters"] or {})
    return replace(current, **values)


def definition_of(
    content: Mapping[str, Any],
    *,
    strategy_id: uuid.UUID,
    version: int,
    user_id: uuid.UUID,
    account_id: uuid.UUID,
    name: str,
) -> StrategyDefinition:
    """The definition a stored content describes (built-in parameters typed again)."""
    sizing = content["sizing"]
    code_ref = content["code_ref"]
    parameters = dict(content.get("parameters") or {})
    # When the code changed since this version was stored, its values stay as they were.
    with suppress(ValueError):
        parameters = _parameters(code_ref, parameters)
    return StrategyDefinition(
        strategy_id=strategy_id,
        version=version,
        user_id=user_id,
        account_id=account_id,
        code_ref=code_ref,
        subscriptions=subscriptions_of(content["subscriptions"]),
        parameters=parameters,
        rules=content.get("rules"),
        sizing=Sizing(sizing["mode"], Decimal(sizing["quantity"]), Decimal(sizing["fraction"])),
        capital=Decimal(content["capital"]),
        name=name,
    )
