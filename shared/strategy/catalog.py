"""Strategy code references: ``builtin:<name>`` for the built-ins, ``rules`` for rule sets."""

from __future__ import annotations

from shared.instruments import InstrumentRegistry
from shared.strategy.base import Strategy
from shared.strategy.builtins import BUILTINS
from shared.strategy.definition import StrategyDefinition
from shared.strategy.params import resolve
from shared.strategy.rules import RuleStrategy, parse_rules
from shared.strategy.runner import StrategyRunner

RULES = "rules"
BUILTIN = "builtin:"


class UnknownStrategy(ValueError):
    """A code reference names no strategy."""


def strategy_class(code_ref: str) -> type[Strategy]:
    """The class a code reference names."""
    if code_ref == RULES:
        return RuleStrategy
    if code_ref.startswith(BUILTIN) and code_ref[len(BUILTIN) :] in BUILTINS:
        return BUILTINS[code_ref[len(BUILTIN) :]]
    known = ", ".join([RULES, *(BUILTIN + name for name in BUILTINS)])
    raise UnknownStrategy(f"unknown strategy code {code_ref!r}; known: {known}")


def build(definition: StrategyDefinition) -> Strategy:
    """A fresh strategy object for a version: parameters checked, rules parsed.

    Raises ParameterError, RuleError or UnknownStrategy (all ValueErrors) naming the problem.
    """
    cls = strategy_class(definition.code_ref)
    if cls is RuleStrategy:
        return RuleStrategy(parse_rules(definition.rules or {}), definition.parameters)
    return cls(resolve(cls.PARAMS, definition.parameters))


def runner_for(
    definition: StrategyDefinition, instruments: InstrumentRegistry, *, history_size: int = 500
) -> StrategyRunner:
    """A runner of a fresh strategy object for ``definition``."""
    return StrategyRunner(definition, build(definition), instruments, history_size=history_size)
