"""The candle query: the newest candles of a range, from Redis when hot, InfluxDB otherwise.

A closed candle never changes, so its cached bytes always give the same public JSON: that
rendering is memoised (bounded LRU), which makes a hot query little more than one Redis
round trip. Forming candles and InfluxDB rows are rendered every time.
"""

from __future__ import annotations

import json
from functools import lru_cache

from market_data_engine.queries.catalog import Catalog
from market_data_engine.queries.convert import CandleFormat
from market_data_engine.queries.plan import CandleQuery, forming_fits, history_window, source_of
from market_data_engine.queries.public import CandlePage, StoredJson, candle_json
from market_data_engine.queries.stores import CandleCache, CandleHistory

MEMO_SIZE = 50_000


class CandleQueries:
    """Answers ``CandleQuery``s; ``UnknownSymbol`` / ``UnknownTimeframe`` when they can't be."""

    def __init__(
        self,
        cache: CandleCache,
        history: CandleHistory,
        catalog: Catalog,
        *,
        memo_size: int = MEMO_SIZE,
    ) -> None:
        self._cache = cache
        self._history = history
        self.catalog = catalog
        self._formats: dict[str, CandleFormat] = {}
        self._stored_json: dict[str, StoredJson] = {}
        self._closed_json = lru_cache(maxsize=memo_size)(self._render_cached)

    def format_for(self, symbol: str) -> CandleFormat:
        """How the symbol's candles are written (checks that the symbol is known)."""
        found = self._formats.get(symbol)
        if found is None:
            found = self._formats[symbol] = CandleFormat.of(self.catalog.instrument(symbol))
        return found

    def _render_cached(self, symbol: str, member: bytes) -> str:
        return candle_json(self._formats[symbol].cached(json.loads(member)))

    async def page(self, query: CandleQuery) -> CandlePage:
        """The newest ``query.limit`` candles of the range, the forming one included on request."""
        fmt = self.format_for(query.symbol)
        self.catalog.timeframe(query.timeframe)
        answer = await self._cache.read(query)
        newest = json.loads(answer.members[0])[0] if answer.members else None
        forming = None if answer.forming is None else json.loads(answer.forming)
        if forming is not None and not forming_fits(query, forming[0], newest):
            forming = None
        wanted = query.limit - (forming is not None)
        cached = answer.members[:wanted]
        window = history_window(query, answer.oldest_open_ns, len(cached), wanted)
        stored = []
        if window is not None:
            stored = await self._history.read(query.symbol, query.timeframe, window)
        render_stored = self._stored_json.get(query.symbol)
        if render_stored is None:
            render_stored = self._stored_json[query.symbol] = StoredJson(fmt)
        candles = [render_stored(row) for row in reversed(stored)]
        render = self._closed_json
        candles += [render(query.symbol, member) for member in reversed(cached)]
        last = newest if cached else (stored[0][0] if stored else None)
        if forming is not None and (last is None or last < forming[0]):
            candles.append(candle_json(fmt.cached(forming, forming=True)))
        else:
            forming = None
        source = source_of(bool(cached) or forming is not None, window is not None)
        return CandlePage(query.symbol, query.timeframe, candles, source)
