"""``tickstream strategy start``, ``pause`` and ``stop``: a control command on Kafka, then a
wait until the strategy workers have applied it (the status in Postgres changes)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated, Any

import typer

from strategy_workers.cli_strategies_options import StrategyArg, UserOpt, as_uuid, need_uuid
from strategy_workers.cli_strategies_session import ControlTopic, load_settings, publish, with_store

if TYPE_CHECKING:
    from shared.db.strategies import StrategyInfo, StrategyStore

POLL_S = 0.2
START, PAUSE, STOP = "StartStrategy", "PauseStrategy", "StopStrategy"
GOAL = {START: "RUNNING", PAUSE: "PAUSED", STOP: "STOPPED"}

Timeout = Annotated[
    float, typer.Option(min=0.1, help="Seconds to wait for the strategy workers to apply it.")
]
Reason = Annotated[str, typer.Option(help="A note kept with the command.")]


class NoChange(ValueError):
    """The strategy did not reach the asked status in time, or failed instead."""


def start(
    strategy: StrategyArg,
    *,
    user: UserOpt = None,
    version: Annotated[
        int | None,
        typer.Option(min=1, help="The version to run (default: the newest).", show_default=False),
    ] = None,
    reason: Reason = "",
    topic: ControlTopic = "strategy.control",
    timeout: Timeout = 20.0,
) -> None:
    """Run a strategy live (a paused one resumes; another version replaces the running one)."""
    _control(START, strategy, user, version, {"reason": reason}, topic, timeout)


def pause(
    strategy: StrategyArg,
    *,
    user: UserOpt = None,
    reason: Reason = "",
    topic: ControlTopic = "strategy.control",
    timeout: Timeout = 20.0,
) -> None:
    """Pause a running strategy: no new orders; its state, orders and positions are kept."""
    _control(PAUSE, strategy, user, None, {"reason": reason}, topic, timeout)


def stop(
    strategy: StrategyArg,
    *,
    user: UserOpt = None,
    flatten: Annotated[bool, typer.Option(help="Also close what the strategy holds.")] = False,
    keep_orders: Annotated[
        bool, typer.Option(help="Leave its working orders in place (default: cancel them).")
    ] = False,
    reason: Reason = "",
    topic: ControlTopic = "strategy.control",
    timeout: Timeout = 20.0,
) -> None:
    """Stop a strategy, canceling its working orders unless --keep-orders."""
    extra = {"reason": reason, "flatten": flatten, "cancel_orders": not keep_orders}
    _control(STOP, strategy, user, None, extra, topic, timeout)


def _control(  # noqa: PLR0917 -- what the three commands were given
    kind: str,
    strategy: str,
    user: str | None,
    version: int | None,
    extra: dict[str, Any],
    topic: str,
    timeout: float,
) -> None:
    from shared.db.strategies import StrategyNotFound, VersionNotFound
    from shared.messages.schemas import strategy as messages

    strategy_id, user_id = need_uuid(strategy, "strategy id"), as_uuid(user, "--user")
    bootstrap = load_settings().kafka_bootstrap_servers

    async def work(store: StrategyStore) -> tuple[StrategyInfo, str]:
        info = await store.info(strategy_id)
        if info is None or user_id not in (None, info.user_id):
            raise StrategyNotFound(f"strategy {strategy_id} not found")
        target = (version or info.latest_version) if kind == START else info.version
        if target > info.latest_version:
            raise VersionNotFound(f"strategy {strategy_id} has no version {target} "
                                  f"(latest: {info.latest_version})")  # fmt: skip
        note = _already(kind, info, target)
        if note:
            return info, note
        payload = getattr(messages, kind)(
            account_id=info.account_id, user_id=info.user_id, strategy_id=strategy_id,
            strategy_version=target, requested_by=user_id or info.user_id, **extra,
        )  # fmt: skip
        await publish(bootstrap, topic, payload, timeout)
        return await _applied(store, info, kind, target, timeout), ""

    info, note = with_store(work)
    typer.echo(note or f"{info.status.value}: strategy {strategy_id} version {info.version}")


def _already(kind: str, info: StrategyInfo, target: int) -> str:
    """What to say when there is nothing to do; raises when the command makes no sense."""
    status = info.status.value
    if kind == START and status == "RUNNING" and info.version == target:
        return f"already running: strategy {info.strategy_id} version {target}"
    if kind == PAUSE and status == "PAUSED":
        return f"already paused: strategy {info.strategy_id} version {info.version}"
    if kind == PAUSE and status != "RUNNING":
        raise ValueError(f"strategy {info.strategy_id} is {status}: only a running one pauses")
    if kind == STOP and status == "STOPPED":
        return f"already stopped: strategy {info.strategy_id}"
    return ""


async def _wait(store: StrategyStore, before: StrategyInfo, kind: str, target: int) -> StrategyInfo:
    """Poll the store until the strategy reaches the goal (or fails: NoChange)."""
    sid = before.strategy_id
    while True:
        now = await store.info(sid)
        if now is None:
            raise NoChange(f"strategy {sid} vanished")
        if now.status.value == GOAL[kind] and (kind != START or now.version == target):
            return now
        if now.status.value == "FAILED" and now.updated_at_ns != before.updated_at_ns:
            raise NoChange(f"strategy {sid} failed: {now.error}")
        await asyncio.sleep(POLL_S)


async def _applied(
    store: StrategyStore, before: StrategyInfo, kind: str, target: int, timeout_s: float
) -> StrategyInfo:
    """The strategy once the workers applied the command; NoChange after ``timeout_s``."""
    try:
        async with asyncio.timeout(timeout_s):
            return await _wait(store, before, kind, target)
    except TimeoutError:
        now = await store.info(before.strategy_id)
        status = now.status.value if now else "gone"
        raise NoChange(
            f"strategy {before.strategy_id} is still {status} {timeout_s:g} s after the command "
            "was published: are the strategy workers running? "
            "(`tickstream status strategy_workers`)"
        ) from None


def register(app: typer.Typer) -> None:
    """Add ``start``, ``pause`` and ``stop``."""
    for command in (start, pause, stop):
        app.command()(command)
