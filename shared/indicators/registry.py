"""Look streaming indicators up by name, with their parameters checked."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from types import MappingProxyType

from shared.indicators.average_true_range import ATR
from shared.indicators.bollinger_bands import BollingerBands
from shared.indicators.donchian_channel import Donchian
from shared.indicators.exponential_moving_average import EMA
from shared.indicators.moving_average_convergence import MACD
from shared.indicators.relative_strength_index import RSI
from shared.indicators.session_vwap import SessionVWAP
from shared.indicators.simple_moving_average import SMA
from shared.indicators.types import Indicator, IndicatorValue

Factory = Callable[..., Indicator[IndicatorValue]]

INDICATORS: Mapping[str, Factory] = MappingProxyType(
    {
        "sma": SMA,
        "ema": EMA,
        "rsi": RSI,
        "macd": MACD,
        "atr": ATR,
        "bollinger": BollingerBands,
        "vwap": SessionVWAP,
        "donchian": Donchian,
    }
)
"""Indicator name -> streaming class. Names are lower case."""


def parameters(name: str) -> Mapping[str, object]:
    """The parameters ``name`` accepts, with their defaults."""
    factory = _factory(name)
    return {
        p.name: p.default
        for p in inspect.signature(factory).parameters.values()
        if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    }


def indicator(name: str, **params: object) -> Indicator[IndicatorValue]:
    """A new streaming indicator, e.g. ``indicator("ema", period=20)``.

    Raises ValueError for an unknown name, an unknown parameter, or a bad parameter
    value (period not an integer >= 1, k not a number > 0, fast >= slow for MACD); the
    message names the offending parameter.
    """
    factory = _factory(name)
    allowed = parameters(name)
    for key in params:
        if key not in allowed:
            raise ValueError(
                f"{name}: unknown parameter {key!r}; accepted: {', '.join(allowed) or 'none'}"
            )
    return factory(**params)


def _factory(name: str) -> Factory:
    try:
        return INDICATORS[name.lower()]
    except KeyError:
        known = ", ".join(INDICATORS)
        raise ValueError(f"unknown indicator {name!r}; known: {known}") from None
