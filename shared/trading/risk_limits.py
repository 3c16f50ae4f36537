"""Risk limits of one scope (an account, or one strategy of an account): a frozen value.

Every limit is optional; None means no limit. Stored and sent as a JSON-friendly dict
(``to_dict``/``from_dict``) with Decimals as strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

_DECIMALS = ("max_order_quantity", "max_position", "max_open_contracts", "max_notional")
_POSITIVE_DECIMALS = ("max_daily_loss", "price_band_pct")
_BOOLS = ("session_only", "flatten_on_daily_loss")


class InvalidRiskLimits(ValueError):
    """A limit with a value it cannot take; the message names the field."""


@dataclass(frozen=True, slots=True)
class RiskLimits:
    """Pre-trade and running limits; see the field notes for what each one bounds.

    - ``max_order_quantity``: contracts in one order.
    - ``max_position``: |net position| per instrument, counting working orders as filled.
    - ``max_open_contracts``: sum of |net positions| plus working (not reduce-only) orders.
    - ``max_notional``: sum over instruments of the worst-side exposure (net plus working
      orders of one side) x last price x point value, in the account currency.
    - ``max_daily_loss``: a positive amount; breached when realized since the session
      boundary plus unrealized P&L is at or below minus this.
    - ``max_orders_per_minute``: orders sent in any sliding 60 s window.
    - ``allowed_symbols``: symbols or futures roots that may be traded; None allows all.
    - ``session_only``: refuse orders while the instrument's session is closed.
    - ``price_band_pct``: limit and stop prices within +- this percent of the last trade.
    - ``flatten_on_daily_loss``: a daily-loss breach also flattens the positions.
    """

    max_order_quantity: Decimal | None = None
    max_position: Decimal | None = None
    max_open_contracts: Decimal | None = None
    max_notional: Decimal | None = None
    max_daily_loss: Decimal | None = None
    max_orders_per_minute: int | None = None
    allowed_symbols: frozenset[str] | None = None
    session_only: bool = False
    price_band_pct: Decimal | None = None
    flatten_on_daily_loss: bool = False

    def __post_init__(self) -> None:
        for name in _DECIMALS + _POSITIVE_DECIMALS:
            value = getattr(self, name)
            if value is None:
                continue
            if not isinstance(value, Decimal) or not value.is_finite():
                raise InvalidRiskLimits(f"{name} must be a finite Decimal, got {value!r}")
            if value < 0 or (value == 0 and name in _POSITIVE_DECIMALS):
                bound = "greater than zero" if name in _POSITIVE_DECIMALS else "zero or more"
                raise InvalidRiskLimits(f"{name} must be {bound}, got {value}")
        rate = self.max_orders_per_minute
        if rate is not None and (isinstance(rate, bool) or not isinstance(rate, int) or rate < 0):
            raise InvalidRiskLimits(f"max_orders_per_minute must be an integer >= 0, got {rate!r}")
        symbols = self.allowed_symbols
        if symbols is not None and (
            not isinstance(symbols, frozenset) or not all(isinstance(s, str) and s for s in symbols)
        ):
            raise InvalidRiskLimits(
                f"allowed_symbols must be a frozenset of non-empty strings, got {symbols!r}"
            )
        for name in _BOOLS:
            if not isinstance(getattr(self, name), bool):
                raise InvalidRiskLimits(f"{name} must be true or false")

    def to_dict(self) -> dict[str, Any]:
        """Every field, JSON-friendly: Decimals as strings, symbols as a sorted list."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, frozenset):
                value = sorted(value)
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RiskLimits:
        """Parse ``to_dict`` output (missing keys: no limit); refuses unknown keys, bad values."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InvalidRiskLimits(f"unknown risk limit field(s): {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for name in _DECIMALS + _POSITIVE_DECIMALS:
            values[name] = _parse_decimal(name, data.get(name))
        rate = data.get("max_orders_per_minute")
        if isinstance(rate, str):
            try:
                rate = int(rate)
            except ValueError:
                raise InvalidRiskLimits(
                    f"max_orders_per_minute must be an integer, got {rate!r}"
                ) from None
        values["max_orders_per_minute"] = rate
        symbols = data.get("allowed_symbols")
        if symbols is not None:
            if isinstance(symbols, str) or not isinstance(symbols, list | tuple | set | frozenset):
                raise InvalidRiskLimits(f"allowed_symbols must be a list, got {symbols!r}")
            symbols = frozenset(symbols)
        values["allowed_symbols"] = symbols
        for name in _BOOLS:
            values[name] = data.get(name, False)
        return cls(**values)


def _parse_decimal(name: str, raw: object) -> Decimal | None:
    if raw is None:
        return None
    # Floats would carry binary noise into money; bool is an int subclass, and never a limit.
    if isinstance(raw, bool) or not isinstance(raw, str | int | Decimal):
        raise InvalidRiskLimits(f"{name} must be a decimal string or an integer, got {raw!r}")
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise InvalidRiskLimits(f"{name} is not a number: {raw!r}") from None
