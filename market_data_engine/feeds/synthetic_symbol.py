"""One synthetic instrument's trades: self-exciting arrivals, a regime-switching random walk.

Arrivals are a Hawkes process with an exponential kernel, simulated exactly (Dassios and
Zhao, 2013): each trade raises the intensity by ``ALPHA`` and the excess decays at rate
``BETA``, which gives bursts and quiet spells. The baseline follows the time of day and
the volatility regime. The mid price is a multiplicative random walk in ticks whose step
grows with the regime; buyers lift the ask and sellers hit the bid one tick below it, so
every price is a whole number of ticks. Aggressors lean with the move; sizes are discrete
Pareto. Trades are made in blocks: arrival times one by one (the recursion is sequential),
then prices, sides and sizes of the block with numpy.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal

import numpy as np

from market_data_engine.feeds.base import FeedTrade
from market_data_engine.feeds.sessions import SessionCalendar
from market_data_engine.feeds.synthetic_activity import Activity
from market_data_engine.feeds.synthetic_profiles import REGIME_SWITCHES, REGIMES, MarketProfile
from shared.clock import NANOS_PER_SECOND
from shared.instruments import Instrument
from shared.messages.schemas.marketdata import AggressorSide

BRANCHING = 0.8  # share of trades triggered by earlier trades
BETA = 4.0  # excitation decays with a 250 ms time constant
ALPHA = BRANCHING * BETA
LEAN = 0.35  # how far the aggressor side leans with the move
BLOCK = 256
SIDES = (AggressorSide.SELL, AggressorSide.BUY)
_new_trade = tuple.__new__


class SymbolGenerator:
    """An endless, deterministic trade stream of one instrument from ``start_ns``."""

    def __init__(
        self,
        instrument: Instrument,
        profile: MarketProfile,
        rng: np.random.Generator,
        start_ns: int,
        *,
        trade_id_prefix: str,
        respect_sessions: bool = True,
        activity: float = 1.0,
    ) -> None:
        self.instrument = instrument
        self.profile = profile
        self._rng = rng
        self._prefix = trade_id_prefix
        session = instrument.session
        self._activity = Activity(profile, session.timezone if session else "UTC")
        self._calendar = SessionCalendar(session if respect_sessions else None)
        self._rate = profile.trades_per_second * activity * (1 - BRANCHING)
        self._sizes = [Decimal(n) for n in range(profile.max_size + 1)]
        self._prices: dict[int, Decimal] = {}
        day_trades = profile.trades_per_second * activity * self._activity.busy_seconds_per_day
        self._step = profile.daily_vol / math.sqrt(max(day_trades, 1.0))
        self._mid = float(profile.price / instrument.tick_size) + 0.5
        self._t = start_ns
        self._excitation = 0.0
        self._regime, self._regime_until = 1, start_ns
        self._seq = 0

    def __iter__(self) -> Iterator[FeedTrade]:
        while True:
            yield from self._block()

    def _arrivals(self) -> list[int]:
        """Arrival times until a block is full or the session, regime or activity changes."""
        calendar, t = self._calendar, self._t
        if not calendar.is_open(t):
            t = calendar.next_change_ns(t)  # the next open: no trade while closed
            self._excitation = 0.0
            self._mid *= math.exp(self._rng.normal(0.0, 0.2 * self.profile.daily_vol))
        if t >= self._regime_until:
            self._switch_regime(t)
        rate = self._rate * REGIMES[self._regime].rate * self._activity.at(t)
        edge = min(calendar.next_change_ns(t), self._regime_until, self._activity.until)
        base = self._rng.standard_exponential(BLOCK).tolist()
        excited = self._rng.standard_exponential(BLOCK).tolist()
        log, exp, excitation = math.log, math.exp, self._excitation
        times: list[int] = []
        for i in range(BLOCK):
            wait = base[i] / rate
            if excitation > 1e-9 and (decay := 1.0 - BETA * excited[i] / excitation) > 0:
                wait = min(wait, -log(decay) / BETA)
            excitation = excitation * exp(-BETA * wait) + ALPHA
            t += int(wait * NANOS_PER_SECOND) + 1
            if t >= edge:
                break
            times.append(t)
        self._t, self._excitation = t, excitation
        return times

    def _block(self) -> list[FeedTrade]:
        times = self._arrivals()
        n = len(times)
        if n == 0:
            return []
        rng = self._rng
        z = rng.standard_normal(n)
        mids = np.maximum(
            self._mid * np.cumprod(1.0 + z * (self._step * REGIMES[self._regime].vol)), 1.0
        )
        self._mid = float(mids[-1])
        buys = rng.random(n) < 0.5 + LEAN * np.tanh(z)
        ticks = (np.floor(mids).astype(np.int64) + buys).tolist()
        sizes = np.minimum(1.0 + rng.pareto(self.profile.size_tail, n), self.profile.max_size)
        size_of, price_of, side_of = self._sizes, self._price, SIDES
        first, prefix, symbol = self._seq + 1, self._prefix, self.instrument.symbol
        self._seq += n
        return [
            _new_trade(FeedTrade, (symbol, ts, price_of(k), size_of[s], side_of[b], f"{prefix}{i}"))
            for ts, k, s, b, i in zip(
                times,
                ticks,
                sizes.astype(np.int64).tolist(),
                buys.tolist(),
                range(first, first + n),
                strict=True,
            )
        ]

    def _price(self, ticks: int) -> Decimal:
        price = self._prices.get(ticks)
        if price is None:
            price = self._prices[ticks] = self.instrument.tick_size * ticks
        return price

    def _switch_regime(self, t: int) -> None:
        if self._seq:  # the first regime is the normal one
            draw, total = float(self._rng.random()), 0.0
            for index, probability in REGIME_SWITCHES[self._regime]:
                total += probability
                if draw < total:
                    self._regime = index
                    break
        minutes = float(self._rng.exponential(REGIMES[self._regime].mean_minutes))
        self._regime_until = t + int(minutes * 60 * NANOS_PER_SECOND)
