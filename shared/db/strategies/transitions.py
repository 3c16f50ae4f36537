"""What a start, pause or stop does to a strategy in a given status: a pure decision.

Start runs the asked version: from stopped or failed it opens a run; from paused at the
same version it resumes the run; at another version (paused or running) it ends the old
run and opens a new one. Pause pauses a running strategy. Stop ends the run of a running
or paused strategy, and moves a failed one (whose run ended with the failure) to stopped.
Anything else changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.db.strategies.model import ACTIVE
from shared.messages.schemas.strategy import StrategyStatus

S = StrategyStatus


class Command(StrEnum):
    """A control command's kind."""

    START = "START"
    PAUSE = "PAUSE"
    STOP = "STOP"


@dataclass(frozen=True, slots=True)
class Transition:
    """The new status and version, and what happens to the runs."""

    status: StrategyStatus
    version: int
    close_run: bool = False
    """End the open run (as STOPPED)."""
    open_run: bool = False
    """Open a new run at ``version``."""


def decide(
    command: Command, status: StrategyStatus, active_version: int | None, version: int
) -> Transition | None:
    """The transition ``command`` (asking for ``version``) makes; None when nothing changes.

    ``active_version`` is the version last started (None if never started). Pause and stop
    act on the active version whatever version they name.
    """
    if command is Command.START:
        if status in ACTIVE and active_version != version:
            return Transition(S.RUNNING, version, close_run=True, open_run=True)
        if status is S.RUNNING:
            return None
        if status is S.PAUSED:
            return Transition(S.RUNNING, version)
        return Transition(S.RUNNING, version, open_run=True)
    current = active_version if active_version is not None else version
    if command is Command.PAUSE:
        return Transition(S.PAUSED, current) if status is S.RUNNING else None
    if status in ACTIVE:
        return Transition(S.STOPPED, current, close_run=True)
    if status is S.FAILED:
        return Transition(S.STOPPED, current)
    return None
