"""The demo strategy ``tickstream up`` runs on the demo account, with a fixed id.

A moving-average crossover (3 over 8 one-minute closes) on the synthetic market's main
symbol: quick enough to cross, and so to trade, every few minutes. ``up`` creates it once
and starts it unless it runs already: through ``strategy.control`` when the strategy
workers answer (they apply the start), else straight in the store, where the workers find
it RUNNING when they start. Both ways use one message id, so a start published but not yet
applied is applied once whichever way comes first.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shared.db.strategies import StrategyInfo, StrategyStore
    from shared.messages.schemas.strategy import StartStrategy

DEMO_STRATEGY_ID = uuid.UUID("00000000-0000-4000-8000-0000005a7e01")
DEMO_STRATEGY_NAME = "Demo MA crossover"
DEMO_CODE = "builtin:ma_crossover"
DEMO_TIMEFRAME = "1m"
DEMO_PARAMETERS = {"fast": 3, "slow": 8}
START_WAIT_S = 20.0
POLL_S = 0.25


@dataclass(frozen=True)
class DemoStrategy:
    """The demo strategy as ``up`` left it."""

    strategy_id: uuid.UUID
    version: int
    status: str
    error: str | None
    created: bool
    started: bool
    description: str


async def run_demo_strategy(
    dsn: str,
    *,
    account_id: uuid.UUID,
    user_id: uuid.UUID,
    symbol: str,
    bootstrap: str,
    control_topic: str,
    workers_url: str,
    wait_s: float = START_WAIT_S,
) -> DemoStrategy:
    """Create the demo strategy unless it exists, and start it unless it runs."""
    from shared.db.pool import Database
    from shared.db.strategies import StrategyStore

    db = Database(dsn, min_size=1, max_size=2)
    await db.start()
    try:
        store = StrategyStore(db.pool)
        created = await store.info(DEMO_STRATEGY_ID) is None
        if created:
            await store.create(
                strategy_id=DEMO_STRATEGY_ID, user_id=user_id, account_id=account_id,
                name=DEMO_STRATEGY_NAME, code_ref=DEMO_CODE,
                subscriptions=[(symbol, DEMO_TIMEFRAME)], parameters=DEMO_PARAMETERS,
                ts_ns=time.time_ns(),
            )  # fmt: skip
        info = await _info(store)
        started = info.status != "RUNNING"
        if started:
            info = await _started(store, info, bootstrap, control_topic, workers_url, wait_s)
        definition = await store.definition(DEMO_STRATEGY_ID, info.version)
    finally:
        await db.close()
    assert definition is not None  # the version shown exists: versions are never removed
    params = " ".join(f"{k}={v}" for k, v in definition.parameters.items() if k in ("fast", "slow"))
    markets = ", ".join(f"{s} {t}" for s, t in definition.subscriptions)
    return DemoStrategy(
        DEMO_STRATEGY_ID, info.version, info.status.value, info.error, created, started,
        f"{definition.code_ref} {params} on {markets}",
    )  # fmt: skip


async def _info(store: StrategyStore) -> StrategyInfo:
    info = await store.info(DEMO_STRATEGY_ID)
    if info is None:
        raise RuntimeError(f"the demo strategy {DEMO_STRATEGY_ID} vanished")
    return info


def _start_command(info: StrategyInfo) -> StartStrategy:
    from shared.messages.schemas.strategy import StartStrategy

    return StartStrategy(
        account_id=info.account_id, user_id=info.user_id, strategy_id=info.strategy_id,
        strategy_version=info.latest_version, requested_by=info.user_id, reason="tickstream up",
    )  # fmt: skip


async def _started(  # noqa: PLR0917 -- the command and where it can go
    store: StrategyStore,
    before: StrategyInfo,
    bootstrap: str,
    topic: str,
    workers_url: str,
    wait_s: float,
) -> StrategyInfo:
    """Published to running workers and applied by them, else applied here."""
    import httpx
    from aiokafka.errors import KafkaError

    from shared.stack import probes

    start, message_id = _start_command(before), uuid.uuid4()
    # Any failure of the bus path leaves the start to the store below, which the workers
    # read on their own: the demo runs either way.
    with contextlib.suppress(KafkaError, OSError, TimeoutError, RuntimeError, httpx.HTTPError):
        await probes.http_status(f"{workers_url}/ready", 200)
        await _publish(bootstrap, topic, message_id, start)
        async with asyncio.timeout(wait_s):
            while True:
                info = await _info(store)
                if info.status == "RUNNING" or info.updated_at_ns != before.updated_at_ns:
                    return info
                await asyncio.sleep(POLL_S)
    await store.apply_control(message_id, start, time.time_ns())
    return await _info(store)


async def _publish(bootstrap: str, topic: str, message_id: uuid.UUID, start: StartStrategy) -> None:
    from shared.bus.producer import KafkaPublisher
    from shared.clock import SystemClock
    from shared.messages.envelope import new_envelope

    publisher = KafkaPublisher(bootstrap, client_id="tickstream-up", linger_ms=0)
    envelope = new_envelope(start, clock=SystemClock(), producer="tickstream-up",
                            message_id=message_id)  # fmt: skip
    try:
        async with asyncio.timeout(10):
            await publisher.start()
            await publisher.publish(envelope, topic=topic)
    finally:
        await publisher.close()
