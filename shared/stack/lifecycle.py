"""Bringing one component up and taking components down."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Iterable
from pathlib import Path
from typing import Any

from shared.stack.components import Component, Kind
from shared.stack.errors import StackError, StartupError
from shared.stack.process import spawn, terminate, write_pid
from shared.stack.wait import wait_ready

Progress = Callable[[str], None]


async def bring_up(
    component: Component,
    pid: int | None,
    *,
    repo_root: Path,
    started: list[Component],
    progress: Progress,
) -> None:
    """Start ``component`` unless ``pid`` says it runs, then wait until it answers.

    Appends it to ``started`` as soon as its process exists, so a failure can stop it.
    """
    begun = time.monotonic()
    offset = 0
    if pid is None:
        try:
            await asyncio.to_thread(component.prepare)
        except StackError:
            raise
        except Exception as exc:  # name the component whose preparation broke
            raise StartupError(component.name, f"preparing failed: {exc!r}") from exc
        offset = component.log.stat().st_size if component.log.exists() else 0
        cwd = repo_root if component.kind is Kind.SERVICE else component.home
        pid = spawn(
            component.command(), component.log, cwd=cwd, env=component.env(), user=component.user()
        )
        write_pid(component.pid_file, pid)
        started.append(component)
    await wait_ready(
        component.name,
        component.probe,
        timeout_s=component.timeout_s,
        pid=pid,
        log=component.log,
        log_offset=offset,
    )
    verb = "started" if component in started else "already running"
    took = time.monotonic() - begun
    progress(f"{component.name}: {verb} (pid {pid}) {component.url} [{took:.1f}s]")


async def stop_all(components: Iterable[Component], timeout_s: float) -> list[str]:
    """Stop the given components' own processes at once; return the names that ran."""

    async def stop_one(component: Component) -> str | None:
        pid = component.running_pid()
        if pid is not None:
            await asyncio.to_thread(terminate, pid, component.stop_signal, timeout_s)
        component.pid_file.unlink(missing_ok=True)
        return component.name if pid is not None else None

    results = await asyncio.gather(*(stop_one(c) for c in components))
    return [name for name in results if name is not None]


async def gather_all(coroutines: Iterable[Coroutine[Any, Any, None]]) -> None:
    """Run all; when some fail, raise one error that carries every failure's message."""
    results = await asyncio.gather(*coroutines, return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    fatal = [e for e in errors if not isinstance(e, Exception)]
    if fatal:
        raise fatal[0]
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise StackError("\n\n".join(str(e) for e in errors))
