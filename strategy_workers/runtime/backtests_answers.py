"""A backtest's outcome stored with its job, and the answer it gave, published again as it
was when the request comes again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.db.strategies import BacktestRecord, BacktestStatus
from shared.messages.envelope import Payload
from shared.messages.schemas.backtest import (
    BacktestCompleted,
    BacktestError,
    BacktestFailed,
    RunBacktest,
)
from strategy_workers.domain.backtests import failed, stored
from strategy_workers.domain.backtests_run import Broke, Computed
from strategy_workers.domain.notices import clip

FINAL = (BacktestStatus.COMPLETED, BacktestStatus.FAILED)
ANSWERS: dict[str, type[BacktestCompleted] | type[BacktestFailed]] = {
    "BacktestCompleted": BacktestCompleted,
    "BacktestFailed": BacktestFailed,
}


@dataclass(frozen=True)
class Outcome:
    """What ``finish_backtest`` stores, and the answer published."""

    status: BacktestStatus
    answer: BacktestCompleted | BacktestFailed
    summary: dict[str, Any]
    trades: list[dict[str, Any]] | None
    equity: dict[str, Any] | None
    error: str | None


def outcome(
    request: RunBacktest, run: Computed | Broke, started_ns: int, finished_ns: int
) -> Outcome:
    """A run's outcome, its answer stamped with when it started and finished."""
    if isinstance(run, Computed):
        times = {"started_at": started_ns, "finished_at": max(started_ns, finished_ns)}
        answer = BacktestCompleted.model_validate({**run.answer.model_dump(), **times})
        summary = {**run.summary, "outcome": stored(answer)}
        return Outcome(BacktestStatus.COMPLETED, answer, summary, run.trades, run.equity, None)
    refused = failed(request, run.refusal, run.bars)
    error = f"{refused.error.value}: {refused.message}"
    return Outcome(BacktestStatus.FAILED, refused, {"outcome": stored(refused)}, None, None, error)


def recall(record: BacktestRecord) -> tuple[Payload, int]:
    """The answer a finished job gave, and when it finished."""
    if record.status not in FINAL or record.finished_at_ns is None:
        raise ValueError(f"backtest {record.backtest_id} is {record.status}, not finished")
    kept = (record.summary or {}).get("outcome")
    if kept is not None:
        return ANSWERS[kept["type"]].model_validate(kept["payload"]), record.finished_at_ns
    if record.status is not BacktestStatus.FAILED:
        raise ValueError(f"backtest {record.backtest_id} is COMPLETED without its answer")
    answer = BacktestFailed(  # finished by someone else, without our answer: say it failed
        account_id=record.account_id,
        user_id=record.user_id,
        backtest_id=record.backtest_id,
        strategy_id=record.strategy_id,
        strategy_version=record.version,
        error=BacktestError.INTERNAL,
        message=clip(record.error or "the backtest failed"),
    )
    return answer, record.finished_at_ns
