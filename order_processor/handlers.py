"""Message handlers of the order processor: message type -> handler, one explicit map.

The order processor will handle order commands and market data into order, position and risk
events here. The map is empty until that work lands; a handler takes an envelope and returns
the envelopes it wants published, so its tests need no broker.
"""

from __future__ import annotations

from shared.bus.types import Handler

HANDLERS: dict[str, Handler] = {}
