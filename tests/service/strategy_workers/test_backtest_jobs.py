"""Backtest jobs: a RunBacktest recorded, run, stored and answered, or failed with a code."""

from __future__ import annotations

import asyncio
import dataclasses
import random
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from shared.backtest import BarSeries, DataError, run_backtest, series
from shared.backtest.jobs import completed, options_of
from shared.clock import FakeClock
from shared.db.strategies import BacktestRecord, BacktestStatus
from shared.instruments import InstrumentRegistry
from shared.messages import Envelope, Payload
from shared.messages.envelope import new_envelope
from shared.messages.schemas.backtest import (
    BacktestCompleted,
    BacktestError,
    BacktestFailed,
    RunBacktest,
)
from shared.messages.schemas.marketdata import Bar
from shared.strategy.definition import StrategyDefinition, Subscription
from strategy_workers.domain import backtests_run
from strategy_workers.domain.backtests import answer_id, feedable, retarget
from strategy_workers.domain.backtests_report import equity, kept, trades
from strategy_workers.domain.backtests_run import Broke, Computed, Job, compute
from strategy_workers.runtime.backtests import BacktestHandler
from tests.service.strategy_workers.fakes import MINUTE, SYMBOL, T0, bars, definition

OTHER_SYMBOL = "NQZ6"
REGISTRY = InstrumentRegistry.with_standard_futures()
FINAL = (BacktestStatus.COMPLETED, BacktestStatus.FAILED)


def walk(count: int, seed: int = 7) -> list[float]:
    rng, price, out = random.Random(seed), 5000.0, []
    for _ in range(count):
        price += rng.choice((-1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0))
        out.append(price)
    return out


def series_of(made: Sequence[Bar]) -> BarSeries:
    def col(name: str) -> list[float]:
        return [float(getattr(b, name)) for b in made]

    return series(
        made[0].symbol, made[0].timeframe, [b.open_time for b in made],
        [b.close_time for b in made], col("open"), col("high"), col("low"), col("close"),
        col("volume"),
    )  # fmt: skip


class FakeJobs:
    """The strategy store's versions and backtest jobs, as the real one behaves."""

    def __init__(self) -> None:
        self.versions: dict[tuple[uuid.UUID, int], StrategyDefinition] = {}
        self.jobs: dict[uuid.UUID, BacktestRecord] = {}
        self.finish_fails = 0

    def add(self, d: StrategyDefinition) -> StrategyDefinition:
        self.versions[d.strategy_id, d.version] = d
        return d

    async def definition(
        self, strategy_id: uuid.UUID, version: int | None = None
    ) -> StrategyDefinition | None:
        return self.versions.get((strategy_id, version or 1))

    async def create_backtest(
        self, *, backtest_id: uuid.UUID, user_id: uuid.UUID, account_id: uuid.UUID,
        strategy_id: uuid.UUID, version: int, request: Mapping[str, Any],
        ts_ns: int | None = None,
    ) -> BacktestRecord:  # fmt: skip
        d = self.versions.get((strategy_id, version))
        if d is None or (d.user_id, d.account_id) != (user_id, account_id):
            raise ValueError(f"strategy {strategy_id} version {version} not found")
        if backtest_id not in self.jobs:
            self.jobs[backtest_id] = BacktestRecord(
                backtest_id, user_id, account_id, strategy_id, version, dict(request),
                BacktestStatus.QUEUED, None, None, None, None, ts_ns or 0, None, None,
            )  # fmt: skip
        found = self.jobs[backtest_id]
        if found.user_id != user_id:
            raise ValueError(f"backtest {backtest_id} belongs to someone else")
        return found

    async def start_backtest(self, backtest_id: uuid.UUID, ts_ns: int | None = None) -> bool:
        job = self.jobs[backtest_id]
        if job.status is not BacktestStatus.QUEUED:
            return False
        self.jobs[backtest_id] = dataclasses.replace(
            job, status=BacktestStatus.RUNNING, started_at_ns=ts_ns
        )
        return True

    async def finish_backtest(  # noqa: PLR0917 -- as the store has it
        self, backtest_id: uuid.UUID, status: BacktestStatus, summary: Any, trades: Any,
        equity: Any, error: str | None, ts_ns: int | None = None,
    ) -> bool:  # fmt: skip
        if self.finish_fails:
            self.finish_fails -= 1
            raise ConnectionError("the fake store is down")
        job = self.jobs.get(backtest_id)
        if job is None or job.status in FINAL:
            return False
        self.jobs[backtest_id] = dataclasses.replace(
            job, status=status, summary=summary, trades=trades, equity=equity, error=error,
            finished_at_ns=ts_ns,
        )  # fmt: skip
        return True

    async def backtest(self, backtest_id: uuid.UUID, user_id: uuid.UUID) -> BacktestRecord | None:
        job = self.jobs.get(backtest_id)
        return job if job is not None and job.user_id == user_id else None


class FakeCandles:
    """Stored candles by symbol (1m), read as InfluxDB would answer."""

    def __init__(self, **by_symbol: BarSeries) -> None:
        self.by_symbol = by_symbol
        self.reads = 0
        self.down_for = 0

    async def __call__(self, symbol: str, timeframe: str, start: int, end: int) -> BarSeries:
        self.reads += 1
        if self.down_for:
            self.down_for -= 1
            raise ConnectionError("InfluxDB is down")
        found = self.by_symbol.get(symbol)
        rows = found.between(start, end) if found is not None and timeframe == "1m" else None
        if rows is None or not len(rows):
            raise DataError(f"{symbol} {timeframe}: no candles in the period")
        return rows


class Inline:
    """Runs jobs in this process (so the tests' own strategies are found), counting them."""

    def __init__(self) -> None:
        self.jobs: list[Job] = []
        self.gate: asyncio.Event | None = None
        """When set, runs wait for it."""
        self.entered = asyncio.Event()

    async def __call__(self, job: Job) -> Computed | Broke:
        self.jobs.append(job)
        self.entered.set()
        if self.gate is not None:
            await self.gate.wait()
        return compute(job)


@dataclasses.dataclass
class Jobs:
    store: FakeJobs
    candles: FakeCandles
    compute: Inline
    handler: BacktestHandler
    data: BarSeries


def jobs(*, equity_points: int = 2000, closes: Sequence[float] | None = None) -> Jobs:
    data = series_of(bars(closes or walk(240)))
    store, candles, inline = FakeJobs(), FakeCandles(**{SYMBOL: data}), Inline()
    handler = BacktestHandler(
        store, candles, inline, REGISTRY, FakeClock(T0 + 10**12), equity_points=equity_points
    )
    return Jobs(store, candles, inline, handler, data)


def crossover(**parameters: Any) -> StrategyDefinition:
    return definition(parameters=parameters or {"fast": 5, "slow": 20})


def request(d: StrategyDefinition, **fields: Any) -> Envelope[Payload]:
    values: dict[str, Any] = {
        "account_id": d.account_id, "user_id": d.user_id, "backtest_id": uuid.uuid4(),
        "strategy_id": d.strategy_id, "strategy_version": d.version, "symbols": (SYMBOL,),
        "timeframe": "1m", "start_time": T0, "end_time": T0 + 1000 * MINUTE,
        "initial_capital": Decimal(50_000), **fields,
    }  # fmt: skip
    return new_envelope(RunBacktest(**values), clock=FakeClock(T0), producer="test-gateway")


async def answer(j: Jobs, envelope: Envelope[Payload]) -> Envelope[Payload]:
    (out,) = await j.handler(envelope)
    return out


def direct(d: StrategyDefinition, payload: RunBacktest, data: BarSeries) -> BacktestCompleted:
    result = run_backtest(d, [data], options_of(payload), instruments=REGISTRY)
    return completed(payload, result, 0, 0)


FIGURES = {"started_at", "finished_at"}


async def test_a_job_runs_and_its_results_are_stored_and_answered():
    j, d = jobs(), crossover()
    j.store.add(d)
    sent = request(d)
    out = await answer(j, sent)
    got: BacktestCompleted = out.payload
    assert isinstance(got, BacktestCompleted)
    want = direct(d, sent.payload, j.data)
    assert got.model_dump(exclude=FIGURES) == want.model_dump(exclude=FIGURES)
    assert got.trade_count > 2 and got.bars_processed == 240
    assert out.message_id == answer_id(sent.payload, "BacktestCompleted")
    assert out.causation_id == sent.message_id
    row = j.store.jobs[sent.payload.backtest_id]
    assert row.status is BacktestStatus.COMPLETED and row.error is None
    assert row.summary["outcome"]["payload"] == got.model_dump(mode="json")
    assert row.summary["statistics"]["trades"] == got.trade_count
    assert row.summary["statistics"]["net_profit"] == str(got.net_pnl)
    assert len(row.trades) == got.trade_count
    assert sum(Decimal(t["net_pnl"]) for t in row.trades) == got.net_pnl
    assert row.equity["points"] == 240 and not row.equity["downsampled"]
    assert got.started_at == row.started_at_ns and got.finished_at == row.finished_at_ns


async def test_a_long_equity_curve_is_stored_downsampled_keeping_its_extremes():
    j, d = jobs(equity_points=20), crossover()
    j.store.add(d)
    sent = request(d)
    await answer(j, sent)
    curve = j.store.jobs[sent.payload.backtest_id].equity
    assert curve["downsampled"] and curve["source_points"] == 240 and curve["points"] <= 20
    assert curve["method"] == "min-max per slice"
    assert curve["times"] == sorted(curve["times"])
    result = run_backtest(d, [j.data], options_of(sent.payload), instruments=REGISTRY)
    values = result.equity.values
    assert max(curve["values"]) == values.max() and min(curve["values"]) == values.min()
    assert curve["values"][-1] == values[-1]


def test_downsampling_keeps_every_point_that_fits_and_each_slices_extremes():
    values = np.array([0.0, 5.0, -3.0, 2.0, 9.0, 1.0, -7.0, 4.0, 3.0, 8.0])
    assert kept(values, 10) == list(range(10))
    picked = kept(values, 6)
    assert {0, 9, 4, 6} <= set(picked) and len(picked) <= 6


async def test_parameter_overrides_apply_to_this_run_only():
    j, d = jobs(), crossover()
    j.store.add(d)
    sent = request(d, parameters={"fast": 3, "slow": "8"})
    got = (await answer(j, sent)).payload
    overridden = dataclasses.replace(d, parameters={"fast": 3, "slow": 8})
    want = direct(overridden, sent.payload, j.data)
    assert got.model_dump(exclude=FIGURES) == want.model_dump(exclude=FIGURES)
    assert got.trade_count != direct(d, sent.payload, j.data).trade_count
    assert j.store.versions[d.strategy_id, 1].parameters == {"fast": 5, "slow": 20}


@pytest.mark.parametrize(
    ("parameters", "named"),
    [({"fast": 0}, "'fast'"), ({"slow": "many"}, "'slow'"), ({"speed": 3}, "'speed'")],
)
async def test_a_bad_override_fails_the_job_naming_the_parameter(parameters, named):
    j, d = jobs(), crossover()
    j.store.add(d)
    sent = request(d, parameters=parameters)
    got: BacktestFailed = (await answer(j, sent)).payload
    assert got.error is BacktestError.INVALID_REQUEST and named in got.message
    row = j.store.jobs[sent.payload.backtest_id]
    assert row.status is BacktestStatus.FAILED and named in (row.error or "")
    assert not j.compute.jobs


@pytest.mark.parametrize("whose", ["unknown", "other-user", "other-account", "no-version"])
async def test_a_strategy_that_is_not_the_users_is_unknown(whose):
    j, d = jobs(), crossover()
    j.store.add(d)
    fields: dict[str, Any] = {
        "unknown": {"strategy_id": uuid.uuid4()},
        "other-user": {"user_id": uuid.uuid4()},
        "other-account": {"account_id": uuid.uuid4()},
        "no-version": {"strategy_version": 2},
    }[whose]
    sent = request(d, **fields)
    out = await answer(j, sent)
    got: BacktestFailed = out.payload
    assert got.error is BacktestError.UNKNOWN_STRATEGY
    assert out.message_id == answer_id(sent.payload, "BacktestFailed")
    assert not j.store.jobs and not j.compute.jobs


async def test_a_symbol_no_instrument_is_known_for_fails_the_job():
    j, d = jobs(), crossover()
    j.store.add(d)
    got = (await answer(j, request(d, symbols=("ZZZQ1",)))).payload
    assert got.error is BacktestError.UNKNOWN_INSTRUMENT and "ZZZQ1" in got.message


async def test_no_candles_in_the_period_fails_the_job_with_no_data():
    j, d = jobs(), crossover()
    j.store.add(d)
    sent = request(d, start_time=T0 + 10**15, end_time=T0 + 10**15 + MINUTE)
    got = (await answer(j, sent)).payload
    assert got.error is BacktestError.NO_DATA and "no candles" in got.message
    assert j.store.jobs[sent.payload.backtest_id].status is BacktestStatus.FAILED


async def test_a_strategy_that_raises_fails_the_job_with_its_error(test_strategies):
    closes = walk(240)
    j = jobs(closes=closes)
    d = j.store.add(definition(code_ref=test_strategies["raiser"], parameters={"at": closes[99]}))
    got: BacktestFailed = (await answer(j, request(d))).payload
    assert got.error is BacktestError.STRATEGY_ERROR
    assert got.message == "on_bar: RuntimeError: boom"


async def test_an_error_of_the_backtester_itself_is_internal(monkeypatch):
    def broken(*args: Any, **kwargs: Any) -> Any:
        return {}["missing"]

    monkeypatch.setattr(backtests_run, "run_backtest", broken)
    j, d = jobs(), crossover()
    j.store.add(d)
    got: BacktestFailed = (await answer(j, request(d))).payload
    assert got.error is BacktestError.INTERNAL and "KeyError" in got.message


async def test_a_request_delivered_again_republishes_the_stored_answer_without_running():
    j, d = jobs(), crossover()
    j.store.add(d)
    sent = request(d)
    first = await answer(j, sent)
    again = await answer(j, sent)
    assert len(j.compute.jobs) == 1
    assert again.message_id == first.message_id
    assert again.payload == first.payload and again.ts_event == first.ts_event


async def test_a_failed_job_delivered_again_republishes_its_failure():
    j, d = jobs(), crossover()
    j.store.add(d)
    sent = request(d, parameters={"fast": 0})
    first, again = await answer(j, sent), await answer(j, sent)
    assert again.message_id == first.message_id and again.payload == first.payload


async def test_the_same_job_delivered_twice_at_once_runs_once():
    j, d = jobs(), crossover()
    j.store.add(d)
    sent = request(d)
    one, two = await asyncio.gather(answer(j, sent), answer(j, sent))
    assert len(j.compute.jobs) == 1 and one.message_id == two.message_id
    assert one.payload == two.payload


async def test_a_store_outage_after_the_run_retries_without_running_again():
    j, d = jobs(), crossover()
    j.store.add(d)
    j.store.finish_fails = 1
    sent = request(d)
    with pytest.raises(ConnectionError):
        await j.handler(sent)
    assert j.store.jobs[sent.payload.backtest_id].status is BacktestStatus.RUNNING
    got = (await answer(j, sent)).payload
    assert isinstance(got, BacktestCompleted) and len(j.compute.jobs) == 1


async def test_a_request_for_other_symbols_runs_the_strategy_on_them():
    j, d = jobs(), crossover()
    j.store.add(d)
    j.candles.by_symbol[OTHER_SYMBOL] = dataclasses.replace(j.data, symbol=OTHER_SYMBOL)
    got = (await answer(j, request(d, symbols=(OTHER_SYMBOL,)))).payload
    assert isinstance(got, BacktestCompleted) and got.trade_count > 0
    (job,) = j.compute.jobs
    assert job.definition.subscriptions == (Subscription(OTHER_SYMBOL, "1m"),)


def test_retargeting_maps_the_strategys_symbols_in_order_or_says_why_not():
    subs = (Subscription("ESZ6", "1m"), Subscription("ESZ6", "5m"), Subscription("NQZ6", "1m"))
    assert retarget(subs, ("NQZ6", "ESZ6")) == subs
    moved = retarget(subs, ("ESH7", "NQH7"))
    assert moved == tuple(Subscription(s, t) for s, t in
                          (("ESH7", "1m"), ("ESH7", "5m"), ("NQH7", "1m")))  # fmt: skip
    assert "2 symbol(s)" in str(retarget(subs, ("ESH7",)))


def test_a_timeframe_is_fed_from_itself_or_a_finer_one_that_divides_it():
    assert feedable("1m", "1m") and feedable("5m", "1m") and feedable("1d", "1h")
    assert not feedable("1m", "5m") and not feedable("5m", "2m")


async def test_a_strategy_on_a_finer_timeframe_than_requested_is_refused():
    j, d = jobs(), crossover()
    j.store.add(d)
    got = (await answer(j, request(d, timeframe="5m"))).payload
    assert got.error is BacktestError.INVALID_REQUEST and "1m" in got.message


def test_stored_trades_are_exact_text():
    j, d = jobs(), crossover()
    payload = request(d).payload
    result = run_backtest(d, [j.data], options_of(payload), instruments=REGISTRY)
    rows = trades(result)
    assert [Decimal(r["net_pnl"]) for r in rows] == [t.net_pnl for t in result.trades]
    assert equity(result.equity, 5000)["values"] == result.equity.values.tolist()


async def test_a_failed_read_of_the_candles_is_tried_again_on_the_retry():
    j, d = jobs(), crossover()
    j.store.add(d)
    j.candles.down_for = 1
    sent = request(d)
    with pytest.raises(ConnectionError):
        await j.handler(sent)
    got = (await answer(j, sent)).payload
    assert isinstance(got, BacktestCompleted) and j.candles.reads == 2


async def test_a_run_whose_caller_was_cancelled_goes_on_for_the_next_delivery():
    j, d = jobs(), crossover()
    j.store.add(d)
    j.compute.gate = asyncio.Event()
    sent = request(d)
    first = asyncio.create_task(j.handler(sent))
    await j.compute.entered.wait()
    first.cancel()  # its lane stopped, say
    with pytest.raises(asyncio.CancelledError):
        await first
    second = asyncio.create_task(answer(j, sent))
    j.compute.gate.set()
    got = (await second).payload
    assert isinstance(got, BacktestCompleted) and len(j.compute.jobs) == 1
