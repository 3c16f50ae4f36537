"""Deterministic example messages, one per (type, version): the source of the golden files.

Regenerate the goldens after a deliberate schema change with
``uv run python -m shared.messages.samples tests/contracts/golden``; the contract tests
compare against the committed files and never rewrite them.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path
from typing import Any, TypeVar

from shared.clock import FakeClock, datetime_to_ns
from shared.messages.codec import encode
from shared.messages.envelope import Envelope, Payload, new_envelope
from shared.messages.registry import all_schemas
from shared.messages.schemas import backtest as bt
from shared.messages.schemas import feeds as fd
from shared.messages.schemas import marketdata as md
from shared.messages.schemas import order_events as oe
from shared.messages.schemas import orders as oc
from shared.messages.schemas import positions as pos
from shared.messages.schemas import risk
from shared.messages.schemas import risk_limits as rl
from shared.messages.schemas import strategy as st

P = TypeVar("P", bound=Payload)

T0 = datetime_to_ns(datetime(2026, 3, 2, 14, 30, tzinfo=UTC))
MINUTE = 60_000_000_000
ACCOUNT = uuid.UUID("a0000000-0000-4000-8000-000000000001")
USER = uuid.UUID("b0000000-0000-4000-8000-000000000001")
STRATEGY = uuid.UUID("c0000000-0000-4000-8000-000000000001")
ORDER = uuid.UUID("d0000000-0000-4000-8000-000000000001")
FILL = uuid.UUID("e0000000-0000-4000-8000-000000000001")
POSITION = uuid.UUID("f0000000-0000-4000-8000-000000000001")
BACKTEST = uuid.UUID("ba000000-0000-4000-8000-000000000001")
OPERATOR = uuid.UUID("b0000000-0000-4000-8000-0000000000ff")
CORRELATION = uuid.UUID("cc000000-0000-4000-8000-000000000001")
_MESSAGE_IDS = uuid.UUID("5a000000-0000-4000-8000-000000000000")

_ACC = {"account_id": ACCOUNT, "user_id": USER}
_STRAT = {"strategy_id": STRATEGY, "strategy_version": 3}
_ORDER = {**_ACC, "order_id": ORDER, "client_order_id": "ema-cross-0001", "symbol": "ESM6"}
_POS = {**_ACC, "position_id": POSITION, "symbol": "ESM6", "side": "LONG", "fill_id": FILL}
_BT = {**_ACC, "backtest_id": BACKTEST, **_STRAT}
_SWEEP = {**_ACC, "strategy_id": STRATEGY, "reason": "emergency stop from the web app"}
_LIMITS = {
    "max_order_quantity": "10",
    "max_position": "20",
    "max_daily_loss": "2000",
    "max_orders_per_minute": 60,
    "allowed_symbols": ["ES", "NQ"],
    "price_band_pct": "5",
    "flatten_on_daily_loss": True,
}
_BRACKET = {"take_profit_price": "5130.00", "stop_loss_price": "5115.00"}


def _make(cls: type[P], *parts: Mapping[str, Any], **fields: Any) -> P:
    """Validate a payload from shared parts and its own fields (the samples obey the schema)."""
    data: dict[str, Any] = {}
    for part in parts:
        data.update(part)
    return cls.model_validate(data | fields)


def _market() -> list[Payload]:
    bar = {"symbol": "ESM6", "timeframe": "1m", "open_time": T0, "close_time": T0 + MINUTE}
    ohlc = {"open": "5120.25", "high": "5121.50", "low": "5119.75", "close": "5121.00"}
    return [
        md.Trade(symbol="ESM6", price=D("5120.25"), size=D("3"), venue_trade_id="T-000123"),
        _make(md.Bar, bar, ohlc, volume="1342", trade_count=412, vwap="5120.61"),
        _make(
            fd.FeedStatusChanged,
            symbol="ESM6",
            state="STALE",
            previous_state="LIVE",
            last_trade_ts=T0 - MINUTE,
            silent_for_ns=2 * MINUTE,
            threshold_ns=MINUTE,
        ),
    ]


def _strategy() -> list[Payload]:
    bar = {"symbol": "ESM6", "timeframe": "1m", "open_time": T0}
    why = "EMA(9) crossed above EMA(21)"
    return [
        _make(
            st.Signal,
            _ACC,
            _STRAT,
            symbol="ESM6",
            direction="LONG",
            strength="0.75",
            reason=why,
            price="5121.00",
            bar=bar,
        ),
        _make(st.StartStrategy, _ACC, _STRAT, requested_by=USER, reason="started from the web"),
        _make(st.PauseStrategy, _ACC, _STRAT, requested_by=USER, reason="news at 14:30"),
        _make(st.StopStrategy, _ACC, _STRAT, reason="account halted", flatten=True),
        _make(
            st.StrategyStatusChanged,
            _ACC,
            _STRAT,
            status="FAILED",
            previous="RUNNING",
            run_id=CORRELATION,
            error="on_bar: ZeroDivisionError: division by zero",
        ),
        _make(
            st.StrategyControlRejected,
            _ACC,
            _STRAT,
            command="START",
            reason="UNKNOWN_VERSION",
            message="strategy c0000000-0000-4000-8000-000000000001 has no version 3",
        ),
    ]


def _order_commands() -> list[Payload]:
    entry = {"side": "BUY", "order_type": "LIMIT", "quantity": "2", "limit_price": "5120.25"}
    return [
        _make(
            oc.SubmitOrder,
            _ACC,
            _STRAT,
            entry,
            client_order_id="ema-cross-0001",
            symbol="ESM6",
            time_in_force="DAY",
            bracket=_BRACKET,
            tag="entry",
        ),
        _make(oc.CancelOrder, _ACC, order_id=ORDER, reason="price moved away"),
        _make(oc.ModifyOrder, _ACC, client_order_id="ema-cross-0001", limit_price="5119.75"),
        _make(oc.CancelAll, _SWEEP, symbol="ESM6"),
        _make(oc.FlattenAll, {"user_id": OPERATOR, "reason": "platform emergency stop"}),
    ]


def _order_events() -> list[Payload]:
    accepted = {"side": "BUY", "order_type": "STOP_LIMIT", "quantity": "2", "stop_price": "5122.00"}
    return [
        _make(
            oe.OrderAccepted,
            _ORDER,
            _STRAT,
            accepted,
            limit_price="5122.50",
            time_in_force="GTC",
            bracket=_BRACKET,
        ),
        _make(
            oe.OrderRejected,
            _ACC,
            _STRAT,
            client_order_id="ema-cross-0002",
            symbol="ESM6",
            reason="INVALID_PRICE_TICK",
            message="5120.30 is not on ESM6's 0.25 tick",
        ),
        _make(oe.OrderTriggered, _ORDER, _STRAT, trigger_price="5122.00"),
        _make(
            oe.OrderFilled,
            _ORDER,
            _STRAT,
            fill_id=FILL,
            venue_trade_id="PX-778",
            side="BUY",
            price="5122.25",
            quantity="1",
            commission="2.25",
            commission_currency="USD",
            cum_quantity="1",
            leaves_quantity="1",
            liquidity="TAKER",
        ),
        _make(
            oe.OrderCanceled,
            _ORDER,
            cum_quantity="1",
            leaves_quantity="1",
            reason="OCO",
            message="take-profit filled",
        ),
        _make(
            oe.OrderExpired,
            _ORDER,
            cum_quantity="0",
            leaves_quantity="2",
            message="DAY order expired at the session close",
        ),
        _make(
            oe.OrderModified,
            _ORDER,
            _STRAT,
            quantity="3",
            limit_price="5119.75",
            leaves_quantity="3",
        ),
    ]


def _positions() -> list[Payload]:
    entry = {"avg_entry_price": "5122.25", "opened_at": T0, "currency": "USD"}
    return [
        _make(
            pos.PositionOpened,
            _POS,
            entry,
            quantity="1",
            max_quantity="1",
            gross_pnl="0",
            commissions="2.25",
            realized_pnl="-2.25",
        ),
        _make(
            pos.PositionChanged,
            _POS,
            entry,
            quantity="1",
            max_quantity="2",
            gross_pnl="200.00",
            commissions="6.75",
            realized_pnl="193.25",
            closed_quantity="1",
            avg_exit_price="5126.25",
        ),
        _make(
            pos.PositionClosed,
            _POS,
            entry,
            max_quantity="2",
            closed_quantity="2",
            avg_exit_price="5127.00",
            gross_pnl="475.00",
            commissions="9.00",
            realized_pnl="466.00",
            closed_at=T0 + 42 * MINUTE,
        ),
    ]


def _risk() -> list[Payload]:
    return [
        _make(
            risk.TradingStateChanged,
            _ACC,
            scope="ACCOUNT",
            previous_state="ACTIVE",
            state="HALTED",
            reason="max daily loss reached",
        ),
        _make(
            risk.RiskLimitBreached,
            _ACC,
            symbol="ESM6",
            limit="MAX_DAILY_LOSS",
            limit_value="2000",
            observed_value="2012.50",
            actions=["ORDERS_CANCELED", "POSITIONS_FLATTENED", "HALTED"],
            message="daily loss 2012.50 USD exceeds the 2000 USD limit",
        ),
        _make(rl.SetRiskLimits, _ACC, limits=_LIMITS, reason="new account defaults"),
        _make(
            rl.SetTradingState,
            user_id=OPERATOR,
            scope="GLOBAL",
            state="REDUCING",
            reason="exchange outage",
        ),
        _make(rl.RiskLimitsChanged, _ACC, limits=_LIMITS, changed_by=USER),
    ]


def _backtests() -> list[Payload]:
    period = {"start_time": T0 - 30 * 1440 * MINUTE, "end_time": T0}
    return [
        _make(
            bt.RunBacktest,
            _BT,
            period,
            symbols=["ESM6"],
            timeframe="5m",
            initial_capital="50000",
            slippage_ticks=1,
            parameters={"fast": 9, "slow": 21},
        ),
        _make(
            bt.BacktestCompleted,
            _BT,
            bars_processed=8280,
            order_count=96,
            fill_count=94,
            trade_count=47,
            winning_trades=26,
            losing_trades=21,
            gross_pnl="6212.50",
            commissions="211.50",
            net_pnl="6001.00",
            max_drawdown="1837.50",
            currency="USD",
            profit_factor="1.62",
            sharpe_ratio="1.41",
            started_at=T0,
            finished_at=T0 + MINUTE,
        ),
        _make(bt.BacktestFailed, _BT, error="NO_DATA", message="no 5m bars for ESM6 in range"),
    ]


def sample_payloads() -> list[Payload]:
    """One example payload of every message schema."""
    return (
        _market()
        + _strategy()
        + _order_commands()
        + _order_events()
        + _positions()
        + (_risk() + _backtests())
    )


def sample_envelopes() -> dict[str, Envelope[Payload]]:
    """Example envelopes by ``<Type>.v<version>``, with fixed ids and times."""
    result: dict[str, Envelope[Payload]] = {}
    for payload in sample_payloads():
        name = f"{payload.TYPE}.v{payload.VERSION}"
        result[name] = new_envelope(
            payload,
            clock=FakeClock(T0 + MINUTE + 1_500_000),
            producer="sample",
            ts_event=T0 + MINUTE,
            correlation_id=CORRELATION,
            message_id=uuid.uuid5(_MESSAGE_IDS, name),
        )
    missing = {f"{t}.v{v}" for t, v in all_schemas()} - set(result)
    if missing:
        raise RuntimeError(f"no sample for {sorted(missing)}")
    return result


def canonical_json(data: bytes | str) -> str:
    """The golden-file form of a message: indented JSON with a final newline."""
    return json.dumps(json.loads(data), indent=2, ensure_ascii=False) + "\n"


def write_goldens(directory: Path | str) -> list[Path]:
    """Write ``<Type>.v<version>.json`` for every sample into ``directory``."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for name, envelope in sample_envelopes().items():
        path = root / f"{name}.json"
        path.write_text(canonical_json(encode(envelope)), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m shared.messages.samples DIRECTORY")
    for path in write_goldens(sys.argv[1]):
        print(path)
