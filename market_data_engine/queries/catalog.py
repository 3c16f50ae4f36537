"""What the engine keeps candles for: instruments (by symbol) and the configured timeframes."""

from __future__ import annotations

from collections.abc import Iterable

from market_data_engine.domain.timeframes import DEFAULT_TIMEFRAMES, Timeframe, parse_timeframes
from shared.instruments import Instrument, InstrumentRegistry, UnknownInstrument


class UnknownSymbol(LookupError):
    """No instrument has this symbol; the message says how known symbols are formed."""

    def __init__(self, symbol: str, reason: str) -> None:
        super().__init__(reason)
        self.symbol = symbol


class UnknownTimeframe(LookupError):
    """A timeframe candles are not kept for; ``configured`` lists those they are."""

    def __init__(self, timeframe: str, configured: tuple[str, ...]) -> None:
        super().__init__(
            f"no candles are kept for timeframe {timeframe!r}; configured: {', '.join(configured)}"
        )
        self.timeframe = timeframe
        self.configured = configured


class Catalog:
    """Resolves symbols to instruments and names to configured timeframes, or says why not."""

    def __init__(
        self, instruments: InstrumentRegistry, timeframes: Iterable[str] = DEFAULT_TIMEFRAMES
    ) -> None:
        self.instruments = instruments
        self.timeframes = parse_timeframes(timeframes)
        self._by_name = {tf.name: tf for tf in self.timeframes}

    @property
    def timeframe_names(self) -> tuple[str, ...]:
        """The configured timeframes, narrowest first."""
        return tuple(self._by_name)

    @property
    def roots(self) -> list[str]:
        """Symbols of the registered instruments (futures roots take contract suffixes)."""
        return sorted(instrument.symbol for instrument in self.instruments)

    def instrument(self, symbol: str) -> Instrument:
        """The instrument of a symbol; ``UnknownSymbol`` otherwise."""
        try:
            return self.instruments.get(symbol)
        except UnknownInstrument as exc:
            raise UnknownSymbol(symbol, str(exc)) from None

    def timeframe(self, name: str) -> Timeframe:
        """A configured timeframe; ``UnknownTimeframe`` otherwise."""
        try:
            return self._by_name[name]
        except KeyError:
            raise UnknownTimeframe(name, self.timeframe_names) from None
