"""How each synthetic market behaves: start price, volatility, activity, trade sizes, regimes.

Figures are plausible rather than calibrated: E-mini trades arrive at about ten a second in
the day session and far slower overnight; a day's move is about one percent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class MarketProfile:
    """One instrument's synthetic behaviour.

    ``trades_per_second`` is the mean arrival rate in the busy hours (local time of the
    instrument's session time zone), ``quiet_factor`` the activity outside them.
    ``size_tail`` is the Pareto shape of trade sizes: smaller means more large trades.
    """

    price: Decimal
    daily_vol: float = 0.01
    trades_per_second: float = 2.0
    busy_from: time = time(8, 30)
    busy_until: time = time(15, 15)
    quiet_factor: float = 0.15
    size_tail: float = 1.4
    max_size: int = 250

    def __post_init__(self) -> None:
        if self.price <= 0 or self.daily_vol <= 0 or self.trades_per_second <= 0:
            raise ValueError("a market profile needs a positive price, volatility and rate")
        if self.size_tail <= 0 or self.max_size < 1 or self.quiet_factor <= 0:
            raise ValueError("size_tail and quiet_factor must be positive, max_size at least 1")


@dataclass(frozen=True, slots=True)
class Regime:
    """A volatility regime: multipliers of volatility and trade rate, and its mean length."""

    name: str
    vol: float
    rate: float
    mean_minutes: float


CALM = Regime("calm", vol=0.6, rate=0.6, mean_minutes=45)
NORMAL = Regime("normal", vol=1.0, rate=1.0, mean_minutes=60)
VOLATILE = Regime("volatile", vol=2.2, rate=1.8, mean_minutes=15)
REGIMES = (CALM, NORMAL, VOLATILE)
# Index into REGIMES -> (next regime index, probability); rows sum to 1.
REGIME_SWITCHES: dict[int, tuple[tuple[int, float], ...]] = {
    0: ((1, 0.85), (2, 0.15)),
    1: ((0, 0.6), (2, 0.4)),
    2: ((1, 0.8), (0, 0.2)),
}

_D = Decimal
PROFILES: dict[str, MarketProfile] = {
    "ES": MarketProfile(_D("5000.00"), 0.010, 10.0),
    "MES": MarketProfile(_D("5000.00"), 0.010, 6.0, size_tail=2.0, max_size=100),
    "NQ": MarketProfile(_D("18000.00"), 0.013, 8.0),
    "MNQ": MarketProfile(_D("18000.00"), 0.013, 6.0, size_tail=2.0, max_size=100),
    "YM": MarketProfile(_D("40000"), 0.009, 3.0, size_tail=1.8, max_size=80),
    "RTY": MarketProfile(_D("2100.0"), 0.014, 3.0, size_tail=1.8, max_size=80),
    "CL": MarketProfile(_D("75.00"), 0.020, 5.0, busy_from=time(8), busy_until=time(13, 30)),
    "GC": MarketProfile(_D("2400.0"), 0.010, 3.0, busy_from=time(7, 20), busy_until=time(12, 30)),
}
DEFAULT_PROFILE = MarketProfile(_D("100"), 0.015, 2.0)


def profile_for(
    symbol: str, root: str, overrides: dict[str, MarketProfile] | None = None
) -> MarketProfile:
    """The profile of a symbol: an override by symbol or root, else the table, else a default."""
    for table in (overrides or {}, PROFILES):
        for key in (symbol, root):
            if key in table:
                return table[key]
    return DEFAULT_PROFILE
