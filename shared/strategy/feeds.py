"""Indicators a strategy asked for, fed from its bars before each ``on_bar``."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from operator import itemgetter
from typing import Any

from shared.indicators.registry import indicator as make_indicator
from shared.indicators.types import Indicator, IndicatorValue
from shared.strategy.candles import Candle

_FIELDS = {name: i for i, name in enumerate(Candle._fields)}


class Tracked:
    """A streaming indicator with its latest and previous values (None during warm-up).

    ``session``, when set, maps a bar's open time to its session key, passed to the
    indicator's ``update`` (session VWAP restarts when the key changes).
    """

    __slots__ = ("_column", "_pick", "_update", "indicator", "previous", "session", "value")

    def __init__(self, indicator: Indicator[IndicatorValue], source: str) -> None:
        self.indicator = indicator
        inputs = indicator.INPUTS
        if len(inputs) == 1:
            inputs = (source,)
        unknown = [name for name in inputs if name not in _FIELDS]
        if unknown:
            raise ValueError(f"unknown bar field {unknown[0]!r} as an indicator input")
        columns = [_FIELDS[name] for name in inputs]
        # One input: index the candle directly (the hot path); several: one itemgetter call.
        self._column = columns[0] if len(columns) == 1 else -1
        self._pick: Callable[[Candle], Any] = itemgetter(*columns)
        self._update: Callable[..., Any] = indicator.update
        self.session: Callable[[int], Hashable] | None = None
        self.value: Any = None
        self.previous: Any = None

    @property
    def ready(self) -> bool:
        """True once the indicator has a value and a previous one (crossings need both)."""
        return self.value is not None and self.previous is not None

    def feed(self, candle: Candle) -> None:
        """Update from one candle."""
        self.previous = self.value
        column = self._column
        if column >= 0:
            self.value = self._update(candle[column])
        elif self.session is None:
            self.value = self._update(*self._pick(candle))
        else:
            key = self.session(candle.open_time)
            self.value = self._update(*self._pick(candle), session=key)


def track(name: str, source: str, params: dict[str, Any]) -> Tracked:
    """A tracked indicator by registry name, e.g. ``track("ema", "close", {"period": 20})``."""
    return Tracked(make_indicator(name, **params), source)
