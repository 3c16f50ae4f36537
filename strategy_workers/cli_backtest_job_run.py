"""The work behind ``tickstream backtest-job``: the request made from the stored version,
published, and its answer awaited on the results topic."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from shared.db.strategies import VersionNotFound
from shared.messages.codec import DecodeError, decode
from shared.messages.schemas.backtest import BacktestCompleted, BacktestFailed, RunBacktest
from shared.times import parse_time
from strategy_workers.adapters.partitions import partition_count
from strategy_workers.cli_backtest_inputs import parse_params
from strategy_workers.cli_strategies_options import as_decimal, as_uuid, fail, need_uuid
from strategy_workers.cli_strategies_session import load_settings, owned, publish, with_store

if TYPE_CHECKING:
    from shared.db.strategies import StrategyStore

Answer = BacktestCompleted | BacktestFailed
SEND_TIMEOUT_S = 20.0


class NoAnswer(ValueError):
    """No answer came in time."""


@dataclass(frozen=True)
class Asked:
    """The command line, as given."""

    strategy_id: str
    version: int | None
    user: str | None
    account: str | None
    symbols: Sequence[str]
    timeframe: str
    start: str
    end: str
    params: Sequence[str]
    capital: str | None
    slippage_ticks: int
    backtest_id: str | None


def send(asked: Asked, topic: str, results: str, timeout_s: float | None) -> tuple[str, bool]:
    """Publish the job; what to print, and False when it was answered with a failure."""
    strategy_id = need_uuid(asked.strategy_id, "--strategy-id")
    user, account = as_uuid(asked.user, "--user"), as_uuid(asked.account, "--account")
    backtest_id = as_uuid(asked.backtest_id, "--backtest-id") or uuid.uuid4()
    capital = as_decimal(asked.capital, "--capital")
    try:
        start, end = parse_time(asked.start), parse_time(asked.end)
        params = parse_params(asked.params)
    except ValueError as exc:
        raise fail(str(exc)) from None
    bootstrap = load_settings().kafka_bootstrap_servers

    async def work(store: StrategyStore) -> tuple[str, bool]:
        d = await owned(store, strategy_id, user)
        if asked.version is not None and asked.version != d.version:
            found = await store.definition(strategy_id, asked.version)
            if found is None:
                raise VersionNotFound(f"strategy {strategy_id} has no version {asked.version}")
            d = found
        symbols = tuple(asked.symbols) or tuple(dict.fromkeys(s.symbol for s in d.subscriptions))
        payload = RunBacktest(
            account_id=account or d.account_id, user_id=user or d.user_id,
            backtest_id=backtest_id, strategy_id=strategy_id, strategy_version=d.version,
            symbols=symbols, timeframe=asked.timeframe, start_time=start, end_time=end,
            initial_capital=capital or d.capital, slippage_ticks=asked.slippage_ticks,
            parameters=params,
        )  # fmt: skip
        if timeout_s is None:
            await publish(bootstrap, topic, payload, SEND_TIMEOUT_S)
            return f"sent backtest {backtest_id} (strategy {strategy_id} v{d.version})", True
        answer = await _asked_and_answered(bootstrap, topic, results, payload, timeout_s)
        return describe(answer), isinstance(answer, BacktestCompleted)

    return with_store(work)


async def _asked_and_answered(
    bootstrap: str, topic: str, results: str, payload: RunBacktest, timeout_s: float
) -> Answer:
    """Publish ``payload`` and wait for its answer (read from the results' end before)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None,
                                enable_auto_commit=False)  # fmt: skip
    await consumer.start()
    try:
        count = await partition_count(bootstrap, results)
        partitions = [TopicPartition(results, p) for p in range(count)]
        consumer.assign(partitions)
        await consumer.seek_to_end(*partitions)
        for tp in partitions:  # fixed now: an answer published from here on is read
            await consumer.position(tp)
        await publish(bootstrap, topic, payload, SEND_TIMEOUT_S)
        try:
            async with asyncio.timeout(timeout_s):
                return await _answer(consumer, payload.backtest_id)
        except TimeoutError:
            raise NoAnswer(
                f"no answer to backtest {payload.backtest_id} within {timeout_s:g} s: are the "
                "strategy workers running? (`tickstream status strategy_workers`)"
            ) from None
    finally:
        await consumer.stop()


async def _answer(consumer: AIOKafkaConsumer, backtest_id: uuid.UUID) -> Answer:
    while True:
        batch = await consumer.getmany(timeout_ms=500)
        for records in batch.values():
            for record in records:
                try:
                    envelope = decode(record.value, list(record.headers or ()))
                except DecodeError:
                    continue  # not ours to judge
                found: Any = envelope.payload
                if isinstance(found, Answer) and found.backtest_id == backtest_id:
                    return found


def describe(answer: Answer) -> str:
    """The answer for a terminal."""
    head = (
        f"backtest {answer.backtest_id} of strategy {answer.strategy_id} v{answer.strategy_version}"
    )
    if isinstance(answer, BacktestFailed):
        return f"{head} FAILED after {answer.bars_processed} bars: {answer.error}: {answer.message}"
    cur = answer.currency
    rows = [
        ("bars", f"{answer.bars_processed}"),
        ("orders / fills", f"{answer.order_count} / {answer.fill_count}"),
        ("trades", f"{answer.trade_count} ({answer.winning_trades} won, "
                   f"{answer.losing_trades} lost)"),
        ("gross P&L", _money(answer.gross_pnl, cur)),
        ("commissions", _money(answer.commissions, cur)),
        ("net P&L", _money(answer.net_pnl, cur)),
        ("max drawdown", _money(answer.max_drawdown, cur)),
        ("profit factor", "-" if answer.profit_factor is None else f"{answer.profit_factor}"),
        ("Sharpe", "-" if answer.sharpe_ratio is None else f"{answer.sharpe_ratio}"),
    ]  # fmt: skip
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    return "\n".join([f"{head} COMPLETED", *lines])


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"
