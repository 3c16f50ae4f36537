"""Candles from either store in the public form: decimal strings on the instrument's grid.

The cache holds exact decimal strings (``candle_format``); InfluxDB holds floats, which round
back to the nearest tick (prices) or quantity step (volume) exactly. VWAP is not on a grid:
it is given to ``VWAP_EXTRA_PLACES`` decimals beyond the tick's, far coarser than a float's
precision, so a candle reads the same from either store (unless its exact VWAP lies within
a float's error of a rounding midpoint: about one candle in a million at ES prices).
"""

from __future__ import annotations

from decimal import Context, Decimal
from typing import Any, NamedTuple

from shared.instruments import Instrument

HISTORY_FIELDS = ("open", "high", "low", "close", "volume", "trades", "vwap", "close_time")
"""The InfluxDB fields a candle query selects, in this order after ``time``."""
VWAP_EXTRA_PLACES = 4
_CONTEXT = Context(prec=60)  # quantizing never runs out of digits


class CandleRow(NamedTuple):
    """A candle as the API gives it: times in ns, decimals as canonical strings."""

    open_time: int
    close_time: int
    open: str
    high: str
    low: str
    close: str
    volume: str
    trade_count: int
    vwap: str | None
    forming: bool = False


def _places(step: Decimal) -> int:
    exponent = step.as_tuple().exponent
    assert isinstance(exponent, int)  # a tick or step is finite
    return max(0, -exponent)


class _Grid:
    """Decimal strings with a fixed number of places; grid steps when ``step`` is given."""

    def __init__(self, places: int, step: Decimal | None = None) -> None:
        self.places = places
        self.quantum = Decimal(1).scaleb(-places)
        self.step = step
        self.step_float = float(step) if step is not None else 0.0
        self._format = f"{{:.{places}f}}".format

    def text(self, value: str) -> str:
        """A decimal string in canonical form; one already canonical passes untouched."""
        dot = value.find(".")
        if self.places:
            if dot > 0 and len(value) - dot - 1 == self.places and "E" not in value:
                return value
        elif dot < 0 and value.lstrip("-").isdigit():
            return value
        return str(Decimal(value).quantize(self.quantum, context=_CONTEXT))

    def number(self, value: float) -> str:
        """A float read back as the nearest grid value (or rounded to the places).

        On a grid the float is within a hair of the value, far inside half the last place,
        so fixed-point formatting prints it exactly. Off the grid the float's shortest
        decimal form is rounded half to even: a VWAP like 0.0140625 is a tie that the
        cached exact decimal breaks the same way, which rounding the binary would not.
        """
        if self.step is None:
            return str(Decimal(repr(value)).quantize(self.quantum, context=_CONTEXT))
        return self._format(round(value / self.step_float) * self.step_float)


class CandleFormat:
    """How one instrument's candles are written: prices on its tick, volume on its step."""

    def __init__(self, tick_size: Decimal, size_step: Decimal = Decimal(1)) -> None:
        self._price = _Grid(_places(tick_size), tick_size)
        self._volume = _Grid(_places(size_step), size_step)
        self._vwap = _Grid(_places(tick_size) + VWAP_EXTRA_PLACES)

    @classmethod
    def of(cls, instrument: Instrument) -> CandleFormat:
        """The format of an instrument's candles."""
        return cls(instrument.tick_size, instrument.quantity_step)

    @property
    def price_grid(self) -> tuple[int, float]:
        """Decimal places and step (as a float) of prices."""
        return self._price.places, self._price.step_float

    @property
    def volume_grid(self) -> tuple[int, float]:
        """Decimal places and step (as a float) of volumes."""
        return self._volume.places, self._volume.step_float

    def vwap_text(self, value: float) -> str:
        """A stored (float) VWAP in the public form."""
        return self._vwap.number(value)

    def cached(self, row: list[Any], *, forming: bool = False) -> CandleRow:
        """A cached candle (``candle_format`` row) in the public form."""
        open_time, close_time, o, h, low, c, volume, trades, vwap = row
        price = self._price.text
        return CandleRow(
            open_time,
            close_time,
            price(o),
            price(h),
            price(low),
            price(c),
            self._volume.text(volume),
            trades,
            None if vwap is None else self._vwap.text(vwap),
            forming,
        )

    def stored(self, row: list[Any]) -> CandleRow:
        """An InfluxDB row (``time`` then ``HISTORY_FIELDS``) in the public form."""
        open_time, o, h, low, c, volume, trades, vwap, close_time = row
        price = self._price.number
        return CandleRow(
            open_time,
            close_time,
            price(o),
            price(h),
            price(low),
            price(c),
            self._volume.number(volume),
            int(trades),
            None if vwap is None else self._vwap.number(vwap),
        )
