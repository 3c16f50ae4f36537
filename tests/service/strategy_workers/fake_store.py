"""A fake of the strategy store: its behaviour the workers rely on, in memory."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from shared.db.strategies import StatusChange, StrategyInfo, StrategyStatus
from shared.db.strategies.transitions import Command, decide
from shared.messages.schemas.order_events import OrderFilled
from shared.messages.schemas.strategy import PauseStrategy, StartStrategy, StopStrategy
from shared.strategy.definition import StrategyDefinition
from strategy_workers.domain.restore import WorkingOrder

CONTROL = {StartStrategy: Command.START, PauseStrategy: Command.PAUSE, StopStrategy: Command.STOP}

Control = StartStrategy | PauseStrategy | StopStrategy


@dataclass
class Entry:
    versions: dict[int, StrategyDefinition]
    status: StrategyStatus = StrategyStatus.STOPPED
    active_version: int | None = None
    run_id: uuid.UUID | None = None
    error: str | None = None


@dataclass
class FakeStore:
    """The strategy store's behaviour the workers rely on, in memory."""

    entries: dict[uuid.UUID, Entry] = field(default_factory=dict)
    fills_of: dict[uuid.UUID, list[OrderFilled]] = field(default_factory=dict)
    working_of: dict[uuid.UUID, list[WorkingOrder]] = field(default_factory=dict)
    applied: set[uuid.UUID] = field(default_factory=set)
    failures: list[tuple[uuid.UUID, int, str]] = field(default_factory=list)
    changes: int = 0
    down: bool = False

    def add(self, d: StrategyDefinition, status: StrategyStatus = StrategyStatus.STOPPED) -> None:
        entry = self.entries.setdefault(d.strategy_id, Entry({}))
        entry.versions[d.version] = d
        if status is not StrategyStatus.STOPPED:
            entry.status, entry.active_version = status, d.version
            entry.run_id = entry.run_id or uuid.uuid5(d.strategy_id, "run")
        self.changes += 1

    def _up(self) -> None:
        if self.down:
            raise ConnectionError("the fake store is down")

    async def active(self) -> list[tuple[StrategyDefinition, StrategyStatus]]:
        self._up()
        return [
            (e.versions[e.active_version], e.status)
            for e in self.entries.values()
            if e.status in (StrategyStatus.RUNNING, StrategyStatus.PAUSED)
            and e.active_version is not None
        ]

    async def revision(self) -> int:
        self._up()
        return self.changes

    async def info(self, strategy_id: uuid.UUID) -> StrategyInfo | None:
        self._up()
        e = self.entries.get(strategy_id)
        if e is None:
            return None
        newest = e.versions[max(e.versions)]
        version = e.active_version or newest.version
        return StrategyInfo(
            strategy_id, newest.user_id, newest.account_id, newest.name, e.status, version,
            max(e.versions), e.error, 0, run_id=e.run_id,
        )  # fmt: skip

    async def definition(
        self, strategy_id: uuid.UUID, version: int | None = None
    ) -> StrategyDefinition | None:
        e = self.entries.get(strategy_id)
        if e is None:
            return None
        return e.versions.get(version if version is not None else max(e.versions))

    async def apply_control(
        self, message_id: uuid.UUID, payload: Control, ts_ns: int
    ) -> StatusChange | None:
        self._up()
        if message_id in self.applied:
            return None
        e = self.entries.get(payload.strategy_id)
        if e is None or e.versions[1].user_id != payload.user_id:
            raise ValueError(f"strategy {payload.strategy_id} not found")
        if payload.strategy_version not in e.versions:
            raise ValueError(f"no version {payload.strategy_version}")
        self.applied.add(message_id)
        change = decide(
            CONTROL[type(payload)], e.status, e.active_version, payload.strategy_version
        )
        if change is None:
            return None
        previous = e.status
        if change.open_run:
            e.run_id = uuid.uuid4()
        run_id = e.run_id
        e.status, e.active_version, e.error = change.status, change.version, None
        if change.status not in (StrategyStatus.RUNNING, StrategyStatus.PAUSED):
            e.run_id = None
        self.changes += 1
        d = e.versions[change.version]
        return StatusChange(d.strategy_id, d.version, change.status, previous, run_id, d)

    async def mark_failed(
        self, strategy_id: uuid.UUID, version: int, error: str, ts_ns: int
    ) -> None:
        self._up()
        self.failures.append((strategy_id, version, error))
        e = self.entries[strategy_id]
        e.status, e.error, e.run_id = StrategyStatus.FAILED, error, None
        self.changes += 1

    async def fills(self, strategy_id: uuid.UUID) -> list[OrderFilled]:
        self._up()
        return list(self.fills_of.get(strategy_id, []))

    async def working_orders(self, strategy_id: uuid.UUID) -> list[WorkingOrder]:
        self._up()
        return list(self.working_of.get(strategy_id, []))
