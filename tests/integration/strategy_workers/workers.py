"""Worker processes of one test, one after another: the one killed and the one after."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import httpx
from aiokafka.admin import AIOKafkaAdminClient

from shared.messages.schemas.marketdata import Bar
from shared.strategy.definition import StrategyDefinition
from tests.integration.services.process import ServiceProcess
from tests.integration.strategy_workers.world import StrategyWorld, start_worker


class Workers:
    """The worker processes of one test, one after another: a dead one is replaced."""

    def __init__(self, world: StrategyWorld, workdir: Path, first_env: dict[str, str]) -> None:
        self.world, self.workdir = world, workdir
        self.processes = [start_worker(world, workdir / "first", **first_env)]
        self.kill_at: tuple[int, float] = (-1, 0.0)
        self._admin: AIOKafkaAdminClient | None = None
        """(a bar's open time, seconds): kill the first process that long after that bar
        went out."""

    @property
    def current(self) -> ServiceProcess:
        return self.processes[-1]

    async def has(self, d: StrategyDefinition) -> bool:
        """True once the live process runs the strategy."""
        if not self._alive():
            return False
        try:
            async with httpx.AsyncClient() as client:
                answer = (await client.get(f"{self.current.url}/strategies", timeout=2.0)).json()
        except httpx.TransportError:
            return False
        return str(d.strategy_id) in {slot["strategy_id"] for slot in answer["strategies"]}

    async def handled(self, bars: Sequence[Bar], bar: Bar) -> bool:
        """True once the workers committed every bar up to ``bar`` (their orders were acked
        before): whichever process did it, the one killed or the one after."""
        if bar.open_time == self.kill_at[0]:
            asyncio.get_running_loop().call_later(self.kill_at[1], self.current.process.kill)
            self.kill_at = (-1, 0.0)
        if not self._alive():
            return False
        if self._admin is None:
            self._admin = AIOKafkaAdminClient(bootstrap_servers=self.world.infra.kafka_bootstrap)
            await self._admin.start()
        offsets = await self._admin.list_consumer_group_offsets(self.world.names.bars_group)
        committed: int = sum(max(0, o.offset) for tp, o in offsets.items())
        return committed >= bars.index(bar) + 1

    def _alive(self) -> bool:
        """False (after starting the next process) when the current one died."""
        process = self.current
        if process.process.poll() is None:
            return True
        assert process.process.returncode == -9, process.log_tail()
        self.processes.append(start_worker(self.world, self.workdir / f"n{len(self.processes)}"))
        return False

    async def stop(self) -> None:
        if self._admin is not None:
            await self._admin.close()
        for process in self.processes:
            if process.process.poll() is None:
                process.process.kill()
                process.process.wait()
