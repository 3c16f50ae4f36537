"""The end of a run: the strategy's ``on_stop``, then open positions closed or reported."""

from __future__ import annotations

from shared.backtest.options import OpenTrades
from shared.backtest.results import Trade
from shared.backtest.simulation import Simulation
from shared.backtest.symbols import dec
from shared.messages.schemas.orders import FlattenAll
from shared.trading.events import Event
from shared.trading.execution import work_point
from shared.trading.ids import derive_id
from shared.trading.matching import MarketPoint

END_REASON = "backtest: end of data"


def finish(sim: Simulation, mode: OpenTrades, now_ns: int, run_key: str) -> list[Trade]:
    """Stop the strategy at ``now_ns`` (the last close); the open trades it leaves
    (``REPORT``), or none after closing them at each symbol's last close (``CLOSE``).

    Closing is the order processor's ``FlattenAll`` for the account: working orders are
    canceled and each position gets a reduce-only market order, filled at a trade at the
    last close (slippage applies, as to any market order).
    """
    runner = sim.runner
    sim.dispatch(runner.stop(now_ns, run_key), now_ns)
    sim.mark_positions()  # every position meets the prices up to the end
    engine = sim.engine
    if mode is OpenTrades.CLOSE:
        definition = runner.definition
        flatten = FlattenAll(
            account_id=definition.account_id, user_id=definition.user_id, reason=END_REASON
        )
        cause = derive_id(definition.strategy_id, run_key, "end")
        sim.process(engine.handle(flatten, cause, now_ns))  # the strategy has stopped
        for state in sim.states:
            if state.bar < 0 or not engine.state.book.has_working(state.name):
                continue
            price = dec(state.last_close())
            size = abs(engine.state.positions.net_quantity(sim.account, state.name))
            point = MarketPoint(price, size, f"{state.name}:end:{now_ns}", now_ns)
            events: list[Event] = []
            work_point(engine.state, state.name, point, events)
            sim.process(events)
        sim.settle((), now_ns)
        return []
    opened = []
    for state in sim.states:
        position = engine.state.positions.get(sim.account, state.name)
        if position is not None:
            opened.append(sim.recorder.open_trade(position, state.bar, dec(state.last_close())))
    return opened
