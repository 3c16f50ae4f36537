"""Which of the ports the stack needs are already taken."""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable, Iterable

from shared.stack.errors import PortConflict

HOST = "127.0.0.1"


def port_taken(port: int, host: str = HOST) -> bool:
    """True if binding ``host:port`` fails because something holds it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return True
            raise
    return False


def find_conflicts(
    needed: Iterable[PortConflict], taken: Callable[[int], bool] = port_taken
) -> list[PortConflict]:
    """The needed ports that are taken, in the order given."""
    return [need for need in needed if taken(need.port)]


def find_duplicates(needed: Iterable[tuple[str, int]]) -> list[str]:
    """Descriptions of ports configured for more than one component."""
    owners: dict[int, list[str]] = {}
    for name, port in needed:
        owners.setdefault(port, []).append(name)
    return [
        f"port {port}: {' and '.join(names)}" for port, names in owners.items() if len(names) > 1
    ]
