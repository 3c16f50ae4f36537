"""Message handlers of the API gateway: message type -> handler, one explicit map.

The API gateway will handle order commands, strategy control and backtest requests here. The
map is empty until that work lands; a handler takes an envelope and returns the envelopes it
wants published, so its tests need no broker.
"""

from __future__ import annotations

from shared.bus.types import Handler

HANDLERS: dict[str, Handler] = {}
