"""Declarative rule strategies (JSON), parsed and checked without ``eval`` (docs/rules.md)."""

from __future__ import annotations

from shared.strategy.rules.dump import bind, dump_rules
from shared.strategy.rules.errors import RuleError
from shared.strategy.rules.parser import parse_rules
from shared.strategy.rules.ruleset import RuleSet
from shared.strategy.rules.strategy import RuleStrategy

__all__ = ["RuleError", "RuleSet", "RuleStrategy", "bind", "dump_rules", "parse_rules"]
