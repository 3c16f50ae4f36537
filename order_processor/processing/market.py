"""Market data into the engine: every trade (and bar) of every partition, from now on.

Each replica reads all partitions of the trade and bar topics without a consumer group,
from their ends: the paper exchange fills against the market it sees while an order works.
Trades missed while the service was down fill nothing (a venue would have filled against
them; documented), and a trade can never fill an order twice: fill ids derive from
(order, trade) and the ledger's unique key refuses a second one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from decimal import Decimal
from functools import partial
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from order_processor.processing.ledger import Ledger
from shared.messages.codec import DecodeError, decode
from shared.messages.schemas.marketdata import Bar, Trade
from shared.trading.engine import TradingEngine
from shared.trading.events import Event

log = logging.getLogger(__name__)


Item = tuple[Trade | Bar, int, str]
"""A trade or bar, its time, and the trade's id (its venue's, else its place in the log)."""


def _apply(engine: TradingEngine, *, items: Sequence[Item]) -> list[Event]:
    events: list[Event] = []
    for item, ts_ns, trade_id in items:
        if isinstance(item, Trade):
            events += engine.on_trade(item.symbol, item.price, item.size, trade_id, ts_ns)
        else:
            events += engine.on_bar(
                item.symbol,
                item.open_time,
                item.close_time,
                (item.open, item.high, item.low, item.close),
                Decimal(item.volume),
            )
    return events


class MarketFeed:
    """Reads trades and bars and works them through the ledger's engine, in batches."""

    def __init__(
        self,
        ledger: Ledger,
        bootstrap_servers: str,
        topics: Sequence[str],
        *,
        bar_timeframe: str = "1m",
        client_id: str | None = None,
    ) -> None:
        self._ledger = ledger
        self._bootstrap = bootstrap_servers
        self._topics = list(topics)
        self._timeframe = bar_timeframe
        self._client_id = client_id
        self.ready = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        consumer = AIOKafkaConsumer(
            *self._topics,
            bootstrap_servers=self._bootstrap,
            enable_auto_commit=False,
            group_id=None,  # every partition, in every replica
            auto_offset_reset="latest",
            client_id=self._client_id,
        )
        await consumer.start()
        try:
            self.ready.set()
            while not stop.is_set():
                batch = await consumer.getmany(timeout_ms=200, max_records=2000)
                items = self._decode(batch)
                if items:
                    ts = items[-1][1]
                    await self._ledger.apply(partial(_apply, items=items), ts)
        finally:
            await consumer.stop()

    def _decode(self, batch: dict[TopicPartition, list[Any]]) -> list[Item]:
        items: list[Item] = []
        for tp, records in batch.items():
            for record in records:
                try:
                    envelope = decode(record.value, record.headers)
                except DecodeError as exc:
                    log.debug("market data record skipped: %s", exc)  # the engine's DLQ has it
                    continue
                payload = envelope.payload
                if isinstance(payload, Trade):
                    trade_id = (
                        payload.venue_trade_id or f"{tp.topic}:{tp.partition}:{record.offset}"
                    )
                    items.append((payload, envelope.ts_event, trade_id))
                elif isinstance(payload, Bar) and payload.timeframe == self._timeframe:
                    items.append((payload, payload.close_time, ""))
        return items
