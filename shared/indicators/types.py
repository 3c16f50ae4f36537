"""Shared shapes: the streaming-indicator protocol, bar inputs and multi-line outputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Generic, NamedTuple, Protocol, SupportsFloat, TypeVar

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
"""A 1-D float64 array; batch forms return these, NaN where a value is not yet defined."""

T = TypeVar("T")
V_co = TypeVar("V_co", covariant=True)


class MACDLines(NamedTuple, Generic[T]):
    """MACD line (fast EMA - slow EMA), its signal EMA, and histogram (line - signal)."""

    macd: T
    signal: T
    histogram: T


class Bands(NamedTuple, Generic[T]):
    """Bollinger Bands: moving average and the bands k standard deviations around it."""

    middle: T
    upper: T
    lower: T


class Channel(NamedTuple, Generic[T]):
    """Donchian channel: highest high, lowest low and their midpoint."""

    upper: T
    lower: T
    middle: T


IndicatorValue = float | tuple[float, ...]
"""What a streaming indicator yields: a float, or a named tuple of floats."""


class BarLike(Protocol):
    """Anything with OHLCV-style fields (a ``Bar`` message, a row object); read as floats."""

    @property
    def high(self) -> SupportsFloat: ...

    @property
    def low(self) -> SupportsFloat: ...

    @property
    def close(self) -> SupportsFloat: ...

    @property
    def volume(self) -> SupportsFloat: ...


class Indicator(Protocol[V_co]):
    """The streaming form every indicator shares, so callers can drive one found by name.

    ``update(...)`` takes the fields named in ``INPUTS`` positionally, as floats;
    ``update_bar(bar)`` reads them from a bar. Both return None during warm-up, else a
    float or a named tuple whose fields ``OUTPUTS`` lists.
    """

    INPUTS: ClassVar[tuple[str, ...]]
    OUTPUTS: ClassVar[tuple[str, ...]]

    @property
    def update(self) -> Callable[..., V_co | None]:
        """The bound ``update`` method (its arity depends on the indicator)."""
        ...

    @property
    def value(self) -> V_co | None: ...

    @property
    def ready(self) -> bool: ...

    def update_bar(self, bar: BarLike) -> V_co | None: ...

    def reset(self) -> None: ...


V = TypeVar("V")


class BarUpdates(Generic[V]):
    """Gives a streaming indicator ``update_bar``: ``update`` with the bar's ``INPUTS``."""

    __slots__ = ()

    INPUTS: ClassVar[tuple[str, ...]]
    update: Callable[..., V | None]

    def update_bar(self, bar: BarLike) -> V | None:
        """``update`` with the bar's fields named in ``INPUTS``, read as floats."""
        return self.update(*[float(getattr(bar, name)) for name in self.INPUTS])
