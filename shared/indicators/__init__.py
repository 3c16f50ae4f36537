"""Technical indicators, each as a streaming class and a numpy batch function.

The streaming form (``SMA(20).update(close)``) costs constant time per bar and returns
None during warm-up; the batch form (``sma(closes, 20)``) maps whole arrays to arrays
with NaN during warm-up. Both give the same numbers. Seeding, warm-up lengths and
formulas follow TA-Lib's default compatibility mode; each class's docstring states the
convention and any deviation. Floats throughout: convert to Decimal at the order
boundary, not here. ``indicator(name, **params)`` builds a streaming indicator by name.
"""

from shared.indicators.average_true_range import ATR, atr, true_range
from shared.indicators.bollinger_bands import BollingerBands, bollinger
from shared.indicators.donchian_channel import Donchian, donchian
from shared.indicators.exponential_moving_average import EMA, ema
from shared.indicators.moving_average_convergence import MACD, macd
from shared.indicators.registry import INDICATORS, indicator, parameters
from shared.indicators.relative_strength_index import RSI, rsi
from shared.indicators.session_vwap import SessionVWAP, vwap
from shared.indicators.simple_moving_average import SMA, sma
from shared.indicators.types import (
    Bands,
    BarLike,
    Channel,
    FloatArray,
    Indicator,
    IndicatorValue,
    MACDLines,
)

__all__ = [
    "ATR",
    "EMA",
    "INDICATORS",
    "MACD",
    "RSI",
    "SMA",
    "Bands",
    "BarLike",
    "BollingerBands",
    "Channel",
    "Donchian",
    "FloatArray",
    "Indicator",
    "IndicatorValue",
    "MACDLines",
    "SessionVWAP",
    "atr",
    "bollinger",
    "donchian",
    "ema",
    "indicator",
    "macd",
    "parameters",
    "rsi",
    "sma",
    "true_range",
    "vwap",
]
