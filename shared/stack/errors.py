"""What goes wrong when starting or stopping the local stack."""

from __future__ import annotations

from dataclasses import dataclass


class StackError(RuntimeError):
    """The local stack cannot do what was asked; the message says why and what to do."""


@dataclass(frozen=True)
class PortConflict:
    """A port the stack needs that something else already holds."""

    component: str
    port: int
    variable: str = ""


class PortConflictError(StackError):
    """Ports needed by the stack are taken by other programs; nothing was started."""

    def __init__(self, conflicts: list[PortConflict]) -> None:
        self.conflicts = conflicts
        lines = [
            f"  port {c.port} ({c.component}) is already in use"
            + (f"; {c.variable} chooses another" if c.variable else "")
            for c in conflicts
        ]
        super().__init__(
            "cannot start the local stack, nothing was started:\n"
            + "\n".join(lines)
            + "\nstop what holds these ports, or move the stack to free ones"
        )


class StartupError(StackError):
    """A component did not become ready; carries the end of its log."""

    def __init__(self, component: str, reason: str, log_tail: str = "") -> None:
        self.component = component
        self.reason = reason
        self.log_tail = log_tail
        message = f"{component}: {reason}"
        if log_tail:
            message += f"\n--- last lines of its log ---\n{log_tail}"
        super().__init__(message)
