"""A service's work loop run with its app: started after the app starts, stopped before it
ends."""

from __future__ import annotations

import logging
from typing import Protocol

from fastapi import FastAPI

from shared.service.app import Hook

log = logging.getLogger(__name__)


class WorkLoop(Protocol):
    """A loop that runs in the background between ``start`` and ``stop``."""

    def start(self) -> None: ...

    async def stop(self) -> None: ...


def loop_hooks(loop: WorkLoop | None, *, absent: str, state: str = "runner") -> tuple[Hook, Hook]:
    """``create_app``'s ``on_start`` and ``on_stop`` for ``loop``, kept in ``app.state.<state>``.

    ``loop`` is None when the resources are stand-ins (tests): then ``absent`` is logged
    saying why nothing runs.
    """

    async def on_start(app: FastAPI) -> None:
        setattr(app.state, state, loop)
        if loop is not None:
            loop.start()
        else:
            log.info(absent)

    async def on_stop(app: FastAPI) -> None:
        if loop is not None:
            await loop.stop()

    return on_start, on_stop
