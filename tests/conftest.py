"""Fixtures for every tier: an async test about to time out prints what each task awaits.

pytest-timeout shows the threads' stacks when a test hangs, but an async test that awaits
forever shows only the event loop idling in ``select``. So shortly before the timeout, the
stack of every asyncio task is printed too, down the chain of awaits to the innermost
coroutine (the future it waits on is in the task's repr).
"""

from __future__ import annotations

import asyncio
import sys
import traceback
from collections.abc import AsyncIterator, Iterator
from types import FrameType
from typing import Any

import pytest
from pytest_asyncio import is_async_test

DUMP_AT = 0.9
"""When to print the tasks, as a fraction of the test's timeout."""

TIMEOUT_S = pytest.StashKey[float]()


@pytest.hookimpl(optionalhook=True)
def pytest_timeout_set_timer(item: pytest.Item, settings: Any) -> None:
    """Note the test's timeout (marker, option or ini, as pytest-timeout resolved it)."""
    item.stash[TIMEOUT_S] = float(settings.timeout)


@pytest.fixture(autouse=True)
def dump_tasks_before_timeout(request: pytest.FixtureRequest) -> None:
    """For async tests with a timeout: print every task's awaits before the timeout fires."""
    if is_async_test(request.node) and TIMEOUT_S in request.node.stash:
        request.getfixturevalue("task_dump_timer")


@pytest.fixture
async def task_dump_timer(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Schedules the dump on the test's loop; teardown of later fixtures stays covered."""
    delay = DUMP_AT * request.node.stash[TIMEOUT_S]
    capture = request.config.pluginmanager.getplugin("capturemanager")

    def dump() -> None:
        # Straight to the terminal: a run killed at the timeout may never report its capture.
        with capture.global_and_fixture_disabled():
            print_tasks(f"{request.node.nodeid} still running after {delay:.0f}s")

    handle = asyncio.get_running_loop().call_later(delay, dump)
    yield
    handle.cancel()


def print_tasks(title: str) -> None:
    """Every task of the running loop, with the chain of coroutines it is suspended in."""
    tasks = asyncio.all_tasks()
    lines = [f"\n===== {title}: {len(tasks)} asyncio tasks =====\n"]
    for task in sorted(tasks, key=lambda t: t.get_name()):
        lines.append(f"--- {task!r}\n")
        awaited: object = task.get_coro()
        frames: list[FrameType] = []
        # Task.print_stack shows only the outermost frame of a suspended task: follow the
        # awaits instead, to the innermost coroutine and the future it waits on.
        while awaited is not None:
            frame = next(_frames_of(awaited), None)
            if frame is None:
                break
            frames.append(frame)
            awaited = _awaiting(awaited)
        # The future at the end of the chain is the task's ``wait_for`` in its repr.
        lines.extend(traceback.StackSummary.extract((f, f.f_lineno) for f in frames).format())
    sys.stderr.write("".join(lines))
    sys.stderr.flush()


def _frames_of(awaitable: object) -> Iterator[FrameType]:
    for name in ("cr_frame", "ag_frame", "gi_frame"):
        frame = getattr(awaitable, name, None)
        if frame is not None:
            yield frame


def _awaiting(awaitable: object) -> object:
    for name in ("cr_await", "ag_await", "gi_yieldfrom"):
        inner = getattr(awaitable, name, None)
        if inner is not None:
            return inner
    return None
