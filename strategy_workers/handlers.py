"""Message handlers of the strategy workers: message type -> handler, one explicit map per
input. A handler takes an envelope and returns the envelopes it wants published (the
lanes publish them and wait for the acks), so its tests need no broker.
"""

from __future__ import annotations

from functools import partial

from shared.bus.types import Handler
from shared.messages.topics import ORDERS_EVENTS
from strategy_workers.runtime.backtests import BacktestHandler
from strategy_workers.runtime.control import ControlHandler
from strategy_workers.runtime.desk import Desk
from strategy_workers.runtime.feeding import on_bar, on_event


def bar_handlers(desk: Desk) -> dict[str, Handler]:
    """``marketdata.bars``: each bar to the strategies subscribed to it."""
    return {"Bar": partial(on_bar, desk)}


def order_event_handlers(desk: Desk) -> dict[str, Handler]:
    """``orders.events``: every order event to the strategy whose order it is."""
    return dict.fromkeys(ORDERS_EVENTS.message_types, partial(on_event, desk))


def control_handlers(desk: Desk) -> dict[str, Handler]:
    """``strategy.control``: start, pause and stop through the store."""
    control = ControlHandler(desk)
    return {"StartStrategy": control, "PauseStrategy": control, "StopStrategy": control}


def backtest_handlers(handler: BacktestHandler) -> dict[str, Handler]:
    """``backtest.requests``: each job run, stored and answered."""
    return {"RunBacktest": handler}
