"""Backtest jobs, the pure part: a ``RunBacktest`` checked against the strategy version it
names, the version it runs (parameter overrides applied, retargeted to the requested
symbols), and the answers with their deterministic ids.

An answer's message id derives from the backtest id, its owner and the answer's type, so
answering a request again (a redelivery) repeats the same message, which consumers drop.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass

from shared.backtest.timeframes import width_ns
from shared.instruments import InstrumentRegistry
from shared.messages.envelope import Payload
from shared.messages.schemas.backtest import BacktestError, BacktestFailed, RunBacktest
from shared.strategy.catalog import UnknownStrategy, build
from shared.strategy.definition import StrategyDefinition, Subscription
from shared.trading.ids import derive_id
from strategy_workers.domain.notices import clip


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a backtest is not run: the error code and the text for the user."""

    error: BacktestError
    message: str


def answer_id(request: RunBacktest, answer_type: str) -> uuid.UUID:
    """The message id of an answer (``BacktestCompleted`` or ``BacktestFailed``)."""
    return derive_id("backtest", request.backtest_id, request.user_id, answer_type)


def failed(request: RunBacktest, refusal: Refusal, bars: int = 0) -> BacktestFailed:
    """The ``BacktestFailed`` answer to ``request``."""
    return BacktestFailed(
        account_id=request.account_id,
        user_id=request.user_id,
        backtest_id=request.backtest_id,
        strategy_id=request.strategy_id,
        strategy_version=request.strategy_version,
        error=refusal.error,
        message=clip(refusal.message),
        bars_processed=bars,
    )


def owner_refusal(definition: StrategyDefinition | None, request: RunBacktest) -> Refusal | None:
    """UNKNOWN_STRATEGY unless the version exists and is the user's, on that account
    (another user's strategy is answered as unknown, as the store does)."""
    if (
        definition is None
        or definition.user_id != request.user_id
        or definition.account_id != request.account_id
    ):
        what = f"strategy {request.strategy_id} version {request.strategy_version}"
        return Refusal(
            BacktestError.UNKNOWN_STRATEGY,
            f"{what} not found for user {request.user_id} on account {request.account_id}",
        )
    return None


def prepare(
    definition: StrategyDefinition, request: RunBacktest, instruments: InstrumentRegistry
) -> StrategyDefinition | Refusal:
    """The version the backtest runs, or why it cannot: the request's timeframe and
    symbols checked, its subscriptions moved to those symbols, its parameters overridden
    (and the whole checked as the catalog builds it)."""
    invalid = BacktestError.INVALID_REQUEST
    try:
        width_ns(request.timeframe)
    except ValueError as exc:
        return Refusal(invalid, str(exc))
    for symbol in request.symbols:
        if symbol not in instruments:
            return Refusal(BacktestError.UNKNOWN_INSTRUMENT, f"unknown instrument {symbol!r}")
    subscriptions = retarget(definition.subscriptions, request.symbols)
    if isinstance(subscriptions, str):
        return Refusal(invalid, subscriptions)
    for sub in subscriptions:
        if not feedable(sub.timeframe, request.timeframe):
            why = f"the strategy needs {sub.symbol} {sub.timeframe} candles"
            return Refusal(invalid, f"{why}, which {request.timeframe} candles cannot make")
    parameters = {**definition.parameters, **request.parameters}
    made = dataclasses.replace(definition, subscriptions=subscriptions, parameters=parameters)
    try:
        build(made)
    except UnknownStrategy as exc:
        return Refusal(BacktestError.UNKNOWN_STRATEGY, str(exc))
    except ValueError as exc:  # ParameterError and RuleError name the part that is wrong
        return Refusal(invalid, str(exc))
    return made


def retarget(
    subscriptions: tuple[Subscription, ...], symbols: tuple[str, ...]
) -> tuple[Subscription, ...] | str:
    """The subscriptions on the requested symbols, or what is wrong.

    The same symbols (in any order) leave them as they are; otherwise the strategy's
    symbols, in order of first subscription, become the requested ones in their order.
    """
    mine = list(dict.fromkeys(sub.symbol for sub in subscriptions))
    if set(mine) == set(symbols):
        return subscriptions
    if len(mine) != len(symbols):
        return (
            f"the strategy trades {len(mine)} symbol(s) ({', '.join(mine)}); "
            f"the request names {len(symbols)} ({', '.join(symbols)})"
        )
    moved = dict(zip(mine, symbols, strict=True))
    return tuple(Subscription(moved[sub.symbol], sub.timeframe) for sub in subscriptions)


def feedable(timeframe: str, base: str) -> bool:
    """Whether ``timeframe`` candles are ``base`` candles or can be made from them."""
    if timeframe == base:
        return True
    try:
        width, step = width_ns(timeframe), width_ns(base)
    except ValueError:
        return False
    return width > step and width % step == 0


def stored(payload: Payload) -> dict[str, object]:
    """An answer as kept with the backtest, to be published again as it was."""
    return {"type": payload.TYPE, "payload": payload.model_dump(mode="json")}
