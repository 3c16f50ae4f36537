"""Market points shown to the engine: an execution bar's path, or a trade at a close.

Both are ``TradingEngine.on_bar`` / ``on_trade`` as the engine defines them, built from its
public parts (``bar_points``, ``work_point``, the daily-loss check), with two differences
a backtest needs: a bar's path after its open is walked only while orders still work
(a bar that can only mark the position is left to ``SymbolState.mark_through``), and a
trade at a close does not hand the symbol over to trades for good, as ``on_trade`` does,
since the symbol's later bars must still fill orders.
"""

from __future__ import annotations

from shared.backtest.symbols import SymbolState, dec
from shared.strategy.candles import Candle
from shared.trading.bar_path import bar_points
from shared.trading.events import Event
from shared.trading.execution import work_point
from shared.trading.matching import MarketPoint
from shared.trading.state import EngineState
from shared.trading.sweeps import check_daily_loss


def show_bar(st: EngineState, state: SymbolState, candle: Candle) -> list[Event]:
    """The engine's events for the execution bar ``candle`` (the symbol's bar ``state.bar``).

    The open carries the bar's volume: point sizes matter only with partial fills, which
    backtests do not use.
    """
    _, _, open_ns, close_ns, o, h, low, c, v, _ = candle
    name, bar = state.name, state.bar
    state.mark_through(bar - 1)
    if bar > 0:  # the last price a live engine shown every bar would have
        st.last_price[name] = dec(float(state.bars.close[bar - 1]))
    opening, volume = dec(o), dec(v)
    events: list[Event] = []
    work_point(
        st,
        name,
        MarketPoint(opening, volume, f"{name}:bar:{open_ns}:0", open_ns, False, True),
        events,
    )
    if st.book.has_working(name) or st.loss_watch:
        path = bar_points(name, open_ns, close_ns, opening, dec(h), dec(low), dec(c), volume)
        for point in path[1:]:
            work_point(st, name, point, events)
        state.seen = bar
    else:
        state.seen = bar - 1  # the position met the open only: the bar is marked later
    return _after(st, name, close_ns, events)


def show_close(st: EngineState, state: SymbolState, candle: Candle) -> list[Event]:
    """The engine's events for a trade at the close of ``candle``."""
    price, ts = dec(candle[7]), candle[3]
    state.mark_through(state.bar)
    events: list[Event] = []
    work_point(
        st, state.name, MarketPoint(price, dec(candle[8]), f"{state.name}:close:{ts}", ts), events
    )
    state.seen = state.bar
    return _after(st, state.name, ts, events)


def _after(st: EngineState, symbol: str, ts: int, events: list[Event]) -> list[Event]:
    """What the engine does after market data: the daily-loss watch."""
    st.watch_accounts()
    if st.loss_watch:
        events.extend(check_daily_loss(st, symbol, ts))
    return events
