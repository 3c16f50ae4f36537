"""How a backtest fills, charges and ends: one frozen object per run."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from shared.instruments import InstrumentRegistry
from shared.trading.matching import FillConfig, LimitFill


class FillAt(StrEnum):
    """When a market order sent on a bar's close fills."""

    NEXT_OPEN = "next-open"
    """At the next bar's open, as the paper exchange fills live orders on bars."""
    CLOSE = "close"
    """At the close of the bar that made the strategy send it (optimistic)."""


class OpenTrades(StrEnum):
    """What happens to a position still open when the data ends."""

    CLOSE = "close"
    """Working orders are canceled and the position closed at the last close."""
    REPORT = "report"
    """The position is reported open, marked at the last close."""


@dataclass(frozen=True, slots=True)
class BacktestOptions:
    """A run's settings.

    ``commission_per_contract`` and ``commission_rate`` (of notional), when either is
    given, replace the instrument's commission (both parts: a missing one is 0); they are
    charged on every fill, so on entry and on exit. ``capital`` None keeps the strategy
    definition's. ``slippage_ticks`` moves market and stop fills against the order.
    """

    fill_at: FillAt = FillAt.NEXT_OPEN
    commission_per_contract: Decimal | None = None
    commission_rate: Decimal | None = None
    slippage_ticks: int = 0
    limit_fill: LimitFill = LimitFill.THROUGH
    capital: Decimal | None = None
    open_trades: OpenTrades = OpenTrades.CLOSE

    def __post_init__(self) -> None:
        # Enum fields given as their text (from a CLI or JSON) become the enum members.
        object.__setattr__(self, "fill_at", FillAt(self.fill_at))
        object.__setattr__(self, "open_trades", OpenTrades(self.open_trades))
        object.__setattr__(self, "limit_fill", LimitFill(self.limit_fill))
        if self.slippage_ticks < 0:
            raise ValueError(f"slippage_ticks {self.slippage_ticks} is negative")
        for name in ("commission_per_contract", "commission_rate"):
            value = getattr(self, name)
            if value is not None and (not value.is_finite() or value < 0):
                raise ValueError(f"{name} {value} is not a number >= 0")
        if self.capital is not None and (not self.capital.is_finite() or self.capital <= 0):
            raise ValueError(f"capital {self.capital} is not above 0")

    @property
    def fills(self) -> FillConfig:
        """The paper exchange's fill settings."""
        return FillConfig(slippage_ticks=self.slippage_ticks, limit_fill=self.limit_fill)

    def instruments(self, base: InstrumentRegistry, symbols: Iterable[str]) -> InstrumentRegistry:
        """A fresh registry: ``base``'s instruments, with the commission override applied to
        ``symbols`` (each must be known to ``base``)."""
        registry = InstrumentRegistry(base)
        overridden = self.commission_per_contract is not None or self.commission_rate is not None
        for symbol in symbols:
            spec = base.get(symbol)
            if overridden:
                spec = dataclasses.replace(
                    spec,
                    symbol=symbol,
                    commission_per_contract=self.commission_per_contract or Decimal(0),
                    commission_rate=self.commission_rate or Decimal(0),
                )
            registry.register(spec, replace=True)
        return registry
