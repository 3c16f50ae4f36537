"""Message handlers of the WebSocket service: message type -> handler, one explicit map.

The WebSocket service will handle live updates from market data, order, position, risk and
signal topics here. The map is empty until that work lands; a handler takes an envelope and
returns the envelopes it wants published, so its tests need no broker.
"""

from __future__ import annotations

from shared.bus.types import Handler

HANDLERS: dict[str, Handler] = {}
