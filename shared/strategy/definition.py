"""What a strategy version is: its code, parameters, rules, markets, sizing and capital.

A version is immutable; its content hash (SHA-256 of the canonical JSON of everything that
decides its behaviour) names it across runs, backtests, signals and orders.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from shared.strategy.params import ParamValue


class Subscription(NamedTuple):
    """A symbol and a timeframe whose closed bars a strategy receives."""

    symbol: str
    timeframe: str


@dataclass(frozen=True, slots=True)
class Sizing:
    """How many contracts an action without a quantity trades.

    ``fixed``: ``quantity`` contracts. ``equity``: the whole contracts whose notional is
    ``fraction`` of the strategy's equity at the reference price (none when that is
    below one contract).
    """

    mode: str = "fixed"
    quantity: Decimal = Decimal(1)
    fraction: Decimal = Decimal("0.1")

    def __post_init__(self) -> None:
        if self.mode not in {"fixed", "equity"}:
            raise ValueError(f"sizing mode {self.mode!r} is not 'fixed' or 'equity'")
        if self.quantity <= 0 or self.quantity != self.quantity.to_integral_value():
            raise ValueError(f"sizing quantity {self.quantity} is not a whole number above 0")
        if not Decimal(0) < self.fraction <= Decimal(10):
            raise ValueError(f"sizing fraction {self.fraction} is not in (0, 10]")


@dataclass(frozen=True, slots=True)
class StrategyDefinition:
    """One version of a user's strategy on one of their accounts."""

    strategy_id: uuid.UUID
    version: int
    user_id: uuid.UUID
    account_id: uuid.UUID
    code_ref: str
    subscriptions: tuple[Subscription, ...]
    parameters: Mapping[str, ParamValue] = field(default_factory=dict)
    rules: Mapping[str, Any] | None = None
    sizing: Sizing = field(default_factory=Sizing)
    capital: Decimal = Decimal(100_000)
    name: str = ""

    def content(self) -> dict[str, Any]:
        """What the version hash covers, as plain JSON data."""
        return version_content(
            self.code_ref,
            self.subscriptions,
            self.parameters,
            self.rules,
            self.sizing,
            self.capital,
        )

    @property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON of ``content()``."""
        return content_hash(self.content())


def version_content(  # noqa: PLR0917 -- every part of a version
    code_ref: str,
    subscriptions: tuple[Subscription, ...],
    parameters: Mapping[str, ParamValue],
    rules: Mapping[str, Any] | None,
    sizing: Sizing,
    capital: Decimal,
) -> dict[str, Any]:
    """The parts of a version that decide its behaviour."""
    return {
        "code_ref": code_ref,
        "subscriptions": [list(s) for s in subscriptions],
        "parameters": {k: _plain(v) for k, v in sorted(parameters.items())},
        "rules": rules,
        "sizing": {
            "mode": sizing.mode,
            "quantity": str(sizing.quantity),
            "fraction": str(sizing.fraction),
        },
        "capital": str(capital),
    }


def content_hash(content: Mapping[str, Any]) -> str:
    """SHA-256 hex of the canonical JSON (sorted keys, no spaces) of ``content``."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value
