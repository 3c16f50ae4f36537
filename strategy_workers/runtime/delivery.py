"""Publishing what the strategies caused, acks awaited, counted in the metrics."""

from __future__ import annotations

from collections.abc import Sequence

from shared.bus.types import AnyEnvelope, Publisher
from shared.messages.schemas.orders import SubmitOrder
from shared.messages.schemas.strategy import Signal
from strategy_workers import metrics


async def deliver(publisher: Publisher, envelopes: Sequence[AnyEnvelope]) -> int:
    """Publish and wait for every ack; how many of them were new orders."""
    if not envelopes:
        return 0
    await publisher.publish_many(envelopes)
    orders = sum(isinstance(e.payload, SubmitOrder) for e in envelopes)
    signals = sum(isinstance(e.payload, Signal) for e in envelopes)
    if orders:
        metrics.ORDERS.inc(orders)
    if signals:
        metrics.SIGNALS.inc(signals)
    return orders
