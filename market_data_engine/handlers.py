"""Message handlers of the market data engine: message type -> handler, explicit maps.

Trades arrive far too fast for one envelope at a time, so they do not go through the
per-record ``HANDLERS`` of ``shared.bus.ConsumerLoop``: the candle pipeline consumes them
in batches and decodes each with the body decoder registered here for its type and
version. A new ``Trade`` version gets a decoder here, next to the old one.
"""

from __future__ import annotations

from market_data_engine.pipeline.decoding import BodyDecoder, trade_v1
from shared.bus.types import Handler

HANDLERS: dict[str, Handler] = {}
"""Per-record handlers: none, trades take the batch path below."""

TRADE_DECODERS: dict[tuple[str, int], BodyDecoder] = {
    ("Trade", 1): trade_v1,
}
"""(message type, version) -> the candle pipeline's decoder for it."""
