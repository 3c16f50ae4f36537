"""The state of each component, as ``tickstream status`` shows it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import StrEnum

from shared.stack.components import Component, Kind
from shared.stack.ports import port_taken
from shared.stack.probes import PROBE_TIMEOUT_S


class State(StrEnum):
    """Where a component stands."""

    READY = "ready"
    NOT_READY = "not ready"
    STOPPED = "stopped"
    EXTERNAL = "ready, not ours"
    PORT_TAKEN = "port taken, not answering"


@dataclass(frozen=True)
class ComponentStatus:
    """One row of ``tickstream status``; ``pid`` is set only for processes the stack runs."""

    name: str
    kind: Kind
    state: State
    url: str
    pid: int | None = None
    detail: str = ""

    @property
    def ready(self) -> bool:
        """Something answers its protocol there, whoever runs it."""
        return self.state in (State.READY, State.EXTERNAL)


async def component_status(component: Component) -> ComponentStatus:
    """Check one component: our process or not, and whether it answers."""
    pid = component.running_pid()
    taken = pid is not None or any(port_taken(port) for port in component.ports)
    if not taken:
        return ComponentStatus(component.name, component.kind, State.STOPPED, component.url)
    try:
        await asyncio.wait_for(component.probe(), PROBE_TIMEOUT_S * 2)
    except Exception as exc:  # any failure to answer is "not ready", reported with its cause
        state = State.NOT_READY if pid is not None else State.PORT_TAKEN
        detail = f"{type(exc).__name__}: {exc}".rstrip(": ")
        return ComponentStatus(component.name, component.kind, state, component.url, pid, detail)
    state = State.READY if pid is not None else State.EXTERNAL
    return ComponentStatus(component.name, component.kind, state, component.url, pid)


async def statuses(components: list[Component]) -> list[ComponentStatus]:
    """Check all components at once, in the order given."""
    return list(await asyncio.gather(*(component_status(c) for c in components)))
