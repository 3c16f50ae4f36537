"""Message handlers of the strategy workers: message type -> handler, one explicit map.

The strategy workers will handle candles, order events, strategy control and backtest
requests into signals and orders here. The map is empty until that work lands; a handler
takes an envelope and returns the envelopes it wants published, so its tests need no broker.
"""

from __future__ import annotations

from shared.bus.types import Handler

HANDLERS: dict[str, Handler] = {}
