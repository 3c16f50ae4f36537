"""The built-in strategies, by name (``builtin:<name>`` as a code reference)."""

from __future__ import annotations

from shared.strategy.base import Strategy
from shared.strategy.builtins.donchian_breakout import DonchianBreakout
from shared.strategy.builtins.ma_crossover import MovingAverageCrossover
from shared.strategy.builtins.rsi_reversion import RsiReversion
from shared.strategy.builtins.vwap_reversion import VwapReversion

BUILTINS: dict[str, type[Strategy]] = {
    cls.NAME: cls for cls in (MovingAverageCrossover, RsiReversion, DonchianBreakout, VwapReversion)
}
