"""``backtest.requests``: a ``RunBacktest`` recorded, checked, run off the event loop,
stored, and answered on ``backtest.results``.

The job is recorded first (``create_backtest``, once per backtest id). A strategy version
that does not exist or is not the user's on that account is answered UNKNOWN_STRATEGY
(and not recorded: there is nothing to record it against). Then the request is checked
(``domain.backtests.prepare``), the candles of each symbol are read, the run goes to a
worker process, and its outcome is stored (``finish_backtest``) before the answer goes
out. A request for a job already finished (a redelivery) is answered with the stored
answer, under the same message id; one arriving while the same job runs here waits for it.
"""

from __future__ import annotations

import asyncio
import time
import uuid

from shared.backtest import DataError
from shared.bus.types import AnyEnvelope
from shared.clock import Clock
from shared.instruments import InstrumentRegistry
from shared.messages.envelope import Payload, new_envelope
from shared.messages.schemas.backtest import BacktestError, RunBacktest
from shared.strategy.definition import StrategyDefinition
from strategy_workers import metrics
from strategy_workers.domain.backtests import Refusal, answer_id, failed, owner_refusal, prepare
from strategy_workers.domain.backtests_run import Broke, Computed, Job
from strategy_workers.runtime.backtests_answers import FINAL, outcome, recall
from strategy_workers.runtime.backtests_ports import BacktestStore, CandleLoader, Compute
from strategy_workers.runtime.desk import PRODUCER

Run = Computed | Broke


class BacktestHandler:
    """Handles one ``RunBacktest``; returns its answer to publish."""

    def __init__(
        self,
        store: BacktestStore,
        candles: CandleLoader,
        compute: Compute,
        instruments: InstrumentRegistry,
        clock: Clock,
        *,
        equity_points: int = 2000,
        producer: str = PRODUCER,
    ) -> None:
        self._store = store
        self._candles = candles
        self._compute = compute
        self._instruments = instruments
        self._clock = clock
        self._equity_points = equity_points
        self._producer = producer
        self._running: dict[uuid.UUID, asyncio.Future[None]] = {}
        self._runs: dict[uuid.UUID, asyncio.Task[Run]] = {}
        """Runs under way or not stored yet, by backtest id. A run goes on when the call
        that started it is cancelled (its lane restarting); the next call for the job
        takes it over, and a retry after a store outage stores it without running again."""

    async def __call__(self, envelope: AnyEnvelope) -> list[AnyEnvelope]:
        request: RunBacktest = envelope.payload
        key = request.backtest_id
        while (running := self._running.get(key)) is not None:
            await asyncio.wait([running])  # the same job, delivered again while it runs
        done = self._running[key] = asyncio.get_running_loop().create_future()
        try:
            answer, ts_event = await self._answer(request)
        finally:
            del self._running[key]
            done.set_result(None)
        label = getattr(answer, "error", None) or "COMPLETED"
        metrics.BACKTESTS.labels(str(label)).inc()
        message_id = answer_id(request, answer.TYPE)
        return [
            new_envelope(answer, clock=self._clock, producer=self._producer,
                         ts_event=ts_event, causation=envelope, message_id=message_id)
        ]  # fmt: skip

    async def _answer(self, request: RunBacktest) -> tuple[Payload, int]:
        store, now = self._store, self._clock.now_ns()
        definition = await store.definition(request.strategy_id, request.strategy_version)
        refusal = owner_refusal(definition, request)
        if refusal is not None or definition is None:
            return failed(request, refusal or Refusal(BacktestError.UNKNOWN_STRATEGY, "")), now
        try:
            record = await store.create_backtest(
                backtest_id=request.backtest_id, user_id=request.user_id,
                account_id=request.account_id, strategy_id=request.strategy_id,
                version=request.strategy_version, request=request.model_dump(mode="json"),
                ts_ns=now,
            )  # fmt: skip
        except ValueError as exc:  # the backtest id is another user's job
            return failed(request, Refusal(BacktestError.INVALID_REQUEST, str(exc))), now
        if record.status in FINAL:
            return recall(record)
        prepared = prepare(definition, request, self._instruments)
        if isinstance(prepared, Refusal):
            return await self._finish(request, Broke(prepared), now)
        started = now if await store.start_backtest(request.backtest_id, now) else None
        task = self._runs.get(request.backtest_id)
        if task is None or _failed(task):  # a failed read of the candles is tried again
            task = self._runs[request.backtest_id] = asyncio.create_task(
                self._run(request, prepared)
            )
        run = await asyncio.shield(task)
        answer = await self._finish(request, run, started or record.started_at_ns or now)
        del self._runs[request.backtest_id]
        return answer

    async def _run(self, request: RunBacktest, definition: StrategyDefinition) -> Run:
        data = []
        for symbol in request.symbols:
            try:
                data.append(
                    await self._candles(
                        symbol, request.timeframe, request.start_time, request.end_time
                    )
                )
            except DataError as exc:
                return Broke(Refusal(BacktestError.NO_DATA, str(exc)))
        job = Job(request, definition, tuple(data), self._instruments, self._equity_points)
        metrics.BACKTESTS_RUNNING.inc()
        began = time.perf_counter()
        try:
            return await self._compute(job)
        finally:
            metrics.BACKTESTS_RUNNING.dec()
            metrics.BACKTEST_SECONDS.observe(time.perf_counter() - began)

    async def _finish(self, request: RunBacktest, run: Run, started: int) -> tuple[Payload, int]:
        finished = self._clock.now_ns()
        done = outcome(request, run, started, finished)
        stored = await self._store.finish_backtest(
            request.backtest_id, done.status, done.summary, done.trades, done.equity,
            done.error, finished,
        )  # fmt: skip
        if stored:
            return done.answer, finished
        record = await self._store.backtest(request.backtest_id, request.user_id)
        if record is None:
            raise LookupError(f"backtest {request.backtest_id} vanished")
        return recall(record)  # finished meanwhile (elsewhere): that outcome stands


def _failed(task: asyncio.Task[Run]) -> bool:
    return task.done() and (task.cancelled() or task.exception() is not None)
