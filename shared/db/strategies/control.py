"""Start, pause, stop and failure of strategies: status, active version and runs, in one
transaction with the claim of the control message."""

from __future__ import annotations

import uuid

from shared.db.pool import Connection
from shared.db.strategies import rows
from shared.db.strategies.model import (
    ACTIVE,
    StatusChange,
    StrategyNotFound,
    VersionNotFound,
)
from shared.db.strategies.transitions import Command, Transition, decide
from shared.messages.schemas.strategy import (
    PauseStrategy,
    StartStrategy,
    StopStrategy,
    StrategyStatus,
)
from shared.trading.ids import derive_id

Control = StartStrategy | PauseStrategy | StopStrategy

COMMANDS: dict[type[Control], Command] = {
    StartStrategy: Command.START,
    PauseStrategy: Command.PAUSE,
    StopStrategy: Command.STOP,
}
_CLAIM = (
    "INSERT INTO strategy_controls "
    "(message_id, strategy_id, command, version, requested_by, applied_ns) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING true"
)
_CLOSE_RUN = "UPDATE strategy_runs SET status = $2, stopped_ns = $3, error = $4 WHERE run_id = $1"
_OPEN_RUN = (
    "INSERT INTO strategy_runs (run_id, strategy_id, version, status, started_ns) "
    "VALUES ($1, $2, $3, 'RUNNING', $4)"
)
_SET_STATUS = (
    "UPDATE strategies SET status = $2, active_version = $3, run_id = $4, error = $5, "
    "updated_ns = $6 WHERE strategy_id = $1"
)


async def apply_control(
    conn: Connection, message_id: uuid.UUID, payload: Control, ts_ns: int
) -> StatusChange | None:
    """Apply a control command once per message id; None when seen before or a no-op."""
    command = COMMANDS[type(payload)]
    sid, version = payload.strategy_id, payload.strategy_version
    async with conn.transaction():
        claimed = await conn.fetchval(
            _CLAIM, message_id, sid, command.value, version, payload.requested_by, ts_ns
        )
        if not claimed:
            return None
        row = await rows.info(conn, sid, lock=True)
        if row is None or (row["user_id"], row["account_id"]) != (
            payload.user_id,
            payload.account_id,
        ):
            raise StrategyNotFound(
                f"strategy {sid} not found for user {payload.user_id} "
                f"on account {payload.account_id}"
            )
        if version > row["latest_version"]:
            raise VersionNotFound(
                f"strategy {sid} has no version {version} (latest: {row['latest_version']})"
            )
        previous = StrategyStatus(row["status"])
        change = decide(command, previous, row["active_version"], version)
        if change is None:
            return None
        run_id = await _runs(
            conn,
            change=change,
            current=row["run_id"],
            message_id=message_id,
            strategy_id=sid,
            ts_ns=ts_ns,
        )
        open_run = run_id if change.status in ACTIVE else None
        await conn.execute(_SET_STATUS, sid, change.status.value, change.version, open_run,
                           None, ts_ns)  # fmt: skip
        definition = await rows.definition(conn, sid, change.version)
    if definition is None:  # the version was checked above, inside the transaction
        raise RuntimeError(f"strategy {sid} version {change.version} vanished")
    return StatusChange(sid, change.version, change.status, previous, run_id, definition)


async def _runs(
    conn: Connection,
    *,
    change: Transition,
    current: uuid.UUID | None,
    message_id: uuid.UUID,
    strategy_id: uuid.UUID,
    ts_ns: int,
) -> uuid.UUID | None:
    """Close, open or update runs as the transition says; the run the change is about."""
    if change.close_run and current is not None:
        await conn.execute(_CLOSE_RUN, current, StrategyStatus.STOPPED.value, ts_ns, None)
    if change.open_run:
        run_id = derive_id(message_id, "run")
        await conn.execute(_OPEN_RUN, run_id, strategy_id, change.version, ts_ns)
        return run_id
    if current is not None and not change.close_run:
        await conn.execute(
            "UPDATE strategy_runs SET status = $2 WHERE run_id = $1", current, change.status.value
        )
    return current


async def mark_failed(
    conn: Connection, strategy_id: uuid.UUID, version: int, error: str, ts_ns: int
) -> bool:
    """Fail a running or paused strategy at ``version``, ending its run with the error.

    False (nothing changed) when the strategy is not active at that version any more.
    """
    text = error or "failed"
    async with conn.transaction():
        row = await rows.info(conn, strategy_id, lock=True)
        if row is None or row["status"] not in ACTIVE or row["active_version"] != version:
            return False
        if row["run_id"] is not None:
            await conn.execute(_CLOSE_RUN, row["run_id"], "FAILED", ts_ns, text)
        await conn.execute(_SET_STATUS, strategy_id, "FAILED", version, None, text, ts_ns)
    return True
