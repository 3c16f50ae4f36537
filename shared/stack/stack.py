"""The local stack: start, stop and check its components as the project's own processes."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from shared.stack.components import ALL_NAMES, Component, Kind, build
from shared.stack.errors import PortConflictError, StackError
from shared.stack.layout import StackLayout
from shared.stack.lifecycle import Progress, bring_up, gather_all, stop_all
from shared.stack.lock import stack_lock
from shared.stack.migrations import apply_migrations
from shared.stack.ports import find_conflicts, find_duplicates
from shared.stack.settings import StackSettings
from shared.stack.status import ComponentStatus, statuses


def _quiet(_: str) -> None:
    return None


@dataclass
class UpReport:
    """What ``up`` did: components it started, ones already running, things it created."""

    started: list[str] = field(default_factory=list)
    running: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)


class Stack:
    """The local stack described by ``settings`` (by default from ``TICKSTREAM_*``)."""

    def __init__(self, settings: StackSettings | None = None) -> None:
        self.settings = settings if settings is not None else StackSettings()
        self.layout = StackLayout.at(self.settings.stack_dir)
        self.components: dict[str, Component] = build(self.settings, self.layout)

    def select(
        self, names: Iterable[str] | None = None, *, infra_only: bool = False
    ) -> list[Component]:
        """Components by name (all when None) in start order; unknown names are an error."""
        wanted = set(ALL_NAMES if names is None else names)
        unknown = sorted(wanted - set(ALL_NAMES))
        if unknown:
            raise StackError(f"unknown component {', '.join(unknown)}: not one of {ALL_NAMES}")
        return [
            c
            for c in self.components.values()
            if c.name in wanted and not (infra_only and c.kind is Kind.SERVICE)
        ]

    async def up(
        self,
        names: Collection[str] | None = None,
        *,
        infra_only: bool = False,
        progress: Progress = _quiet,
    ) -> UpReport:
        """Start what is not running, wait until everything answers, then create the topics,
        databases and tables. Every port is checked first: a taken one raises
        ``PortConflictError`` before anything starts. On any other failure, the processes
        this call started are stopped again."""
        chosen = self.select(names, infra_only=infra_only)
        self._check_ports(chosen, [])
        async with stack_lock(self.layout.lock_file):
            return await self._up(chosen, progress)

    async def _up(self, chosen: list[Component], progress: Progress) -> UpReport:
        running = {c.name: pid for c in chosen if (pid := c.running_pid()) is not None}
        self._check_ports(chosen, [c for c in chosen if c.name not in running])
        self.layout.create()
        report = UpReport(running=[c.name for c in chosen if c.name in running])
        started: list[Component] = []
        root = self.settings.repo_root
        try:
            for kind in (Kind.INFRA, Kind.SERVICE):
                group = [c for c in chosen if c.kind is kind]
                await gather_all(
                    bring_up(
                        c, running.get(c.name), repo_root=root, started=started, progress=progress
                    )
                    for c in group
                )
                if kind is Kind.INFRA:
                    report.created += await self._provision(group, progress)
        except BaseException:
            if started:
                progress(f"stopping what this run started: {', '.join(c.name for c in started)}")
                await self._stop_in_order(started)
            raise
        report.started = [c.name for c in started]
        return report

    async def down(self, names: Collection[str] | None = None) -> list[str]:
        """Stop the stack's own processes (services first); return the names stopped."""
        chosen = self.select(names)
        async with stack_lock(self.layout.lock_file):
            return await self._stop_in_order(chosen)

    async def start(self, name: str) -> UpReport:
        """Start one component (and provision it) if it is not running."""
        return await self.up([name])

    async def stop(self, name: str) -> bool:
        """Stop one component; False when it was not running."""
        return bool(await self.down([name]))

    async def status(
        self, names: Collection[str] | None = None, *, infra_only: bool = False
    ) -> list[ComponentStatus]:
        """The state of each component, in start order."""
        return await statuses(self.select(names, infra_only=infra_only))

    def _check_ports(self, chosen: list[Component], to_start: list[Component]) -> None:
        duplicates = find_duplicates((c.name, port) for c in chosen for port in c.ports)
        if duplicates:
            raise StackError("the same port is configured twice: " + "; ".join(duplicates))
        conflicts = find_conflicts(need for c in to_start for need in c.needs_ports())
        if conflicts:
            raise PortConflictError(conflicts)

    async def _provision(self, infra: list[Component], progress: Progress) -> list[str]:
        created: list[str] = []
        for component in infra:
            created += await component.provision()
        if any(c.name == "postgres" for c in infra):
            applied = await apply_migrations(self.settings.postgres_dsn)
            created += [f"migration {label}" for label in applied]
        for item in created:
            progress(f"created {item}")
        return created

    async def _stop_in_order(self, components: list[Component]) -> list[str]:
        timeout = self.settings.stop_timeout_s
        stopped = await stop_all([c for c in components if c.kind is Kind.SERVICE], timeout)
        stopped += await stop_all([c for c in components if c.kind is Kind.INFRA], timeout)
        return stopped
