"""What the pipeline knows of each traded symbol: its grids, scale and session, looked up once."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from market_data_engine.domain.candles import Scale
from market_data_engine.pipeline.grid import Grid
from shared.instruments import Instrument, InstrumentRegistry, TradingSession

_UNKNOWN_LIMIT = 10_000  # a flood of made-up symbols must not grow memory without bound


@dataclass(frozen=True, slots=True)
class SymbolSpec:
    """A tradable symbol as the pipeline uses it."""

    symbol: str
    scale: Scale
    session: TradingSession | None
    prices: Grid
    sizes: Grid
    non_positive_prices: bool
    """True when the instrument may trade at zero or below (spreads, CL in April 2020)."""


class SymbolDirectory:
    """Resolves symbols through the instrument registry and remembers the answers.

    Zero and negative prices are refused unless the symbol or its root is listed in
    ``non_positive_roots``: the instrument specs carry no such flag, so it is configured.
    """

    def __init__(
        self, registry: InstrumentRegistry, non_positive_roots: Collection[str] = ()
    ) -> None:
        self._registry = registry
        self._non_positive = frozenset(non_positive_roots)
        self._known: dict[str, SymbolSpec] = {}
        self._unknown: set[str] = set()
        self._grids: dict[Decimal, Grid] = {}

    def get(self, symbol: str) -> SymbolSpec | None:
        """The symbol's spec, or None when the registry cannot resolve it."""
        spec = self._known.get(symbol)
        if spec is not None or symbol in self._unknown:
            return spec
        instrument = self._registry.find(symbol)
        if instrument is None:
            if len(self._unknown) >= _UNKNOWN_LIMIT:
                self._unknown.clear()
            self._unknown.add(symbol)
            return None
        spec = self._make(symbol, instrument)
        self._known[symbol] = spec
        return spec

    def _make(self, symbol: str, instrument: Instrument) -> SymbolSpec:
        allowed = bool({symbol, instrument.root} & self._non_positive)
        return SymbolSpec(
            symbol=symbol,
            scale=Scale.of(instrument),
            session=instrument.session,
            prices=self._grid(instrument.tick_size),
            sizes=self._grid(instrument.quantity_step),
            non_positive_prices=allowed,
        )

    def _grid(self, step: Decimal) -> Grid:
        # One grid (and so one cache of parsed numbers) per distinct step.
        grid = self._grids.get(step)
        if grid is None:
            grid = self._grids[step] = Grid(step)
        return grid
