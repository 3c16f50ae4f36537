"""Reason codes of refused commands and canceled orders: stable strings clients can branch on."""

from __future__ import annotations

from enum import StrEnum


class RejectedCommand(StrEnum):
    """Which command a rejection answers."""

    SUBMIT = "SUBMIT"
    CANCEL = "CANCEL"
    MODIFY = "MODIFY"
    SWEEP = "SWEEP"
    """A cancel-all or flatten-all (no one order involved)."""
    RISK_SETTINGS = "RISK_SETTINGS"
    """A risk limits or trading state change (no order involved)."""


class RejectReason(StrEnum):
    """Why a command was refused. The human explanation travels beside it."""

    # The order itself.
    INVALID_ORDER = "INVALID_ORDER"
    INVALID_PRICE_TICK = "INVALID_PRICE_TICK"
    INVALID_QUANTITY = "INVALID_QUANTITY"
    UNKNOWN_INSTRUMENT = "UNKNOWN_INSTRUMENT"
    DUPLICATE_CLIENT_ORDER_ID = "DUPLICATE_CLIENT_ORDER_ID"
    # Who may trade what, and when.
    UNKNOWN_ACCOUNT = "UNKNOWN_ACCOUNT"
    NOT_AUTHORIZED = "NOT_AUTHORIZED"
    INSTRUMENT_NOT_ALLOWED = "INSTRUMENT_NOT_ALLOWED"
    OUTSIDE_SESSION = "OUTSIDE_SESSION"
    STRATEGY_NOT_RUNNING = "STRATEGY_NOT_RUNNING"
    # Pre-trade risk limits.
    MAX_ORDER_QTY = "MAX_ORDER_QTY"
    MAX_POSITION = "MAX_POSITION"
    MAX_OPEN_CONTRACTS = "MAX_OPEN_CONTRACTS"
    MAX_NOTIONAL = "MAX_NOTIONAL"
    MAX_DAILY_LOSS = "MAX_DAILY_LOSS"
    RATE_LIMIT = "RATE_LIMIT"
    PRICE_BAND = "PRICE_BAND"
    # Trading state.
    TRADING_HALTED = "TRADING_HALTED"
    REDUCING_ONLY = "REDUCING_ONLY"
    REDUCE_ONLY_WOULD_INCREASE = "REDUCE_ONLY_WOULD_INCREASE"
    # Cancel and modify of an existing order.
    ORDER_NOT_FOUND = "ORDER_NOT_FOUND"
    ORDER_NOT_WORKING = "ORDER_NOT_WORKING"
    MODIFY_NOT_ALLOWED = "MODIFY_NOT_ALLOWED"
    # The venue or broker said no.
    VENUE_REJECTED = "VENUE_REJECTED"


class CancelReason(StrEnum):
    """Why a working order stopped working before it filled."""

    REQUESTED = "REQUESTED"
    OCO = "OCO"
    IOC_UNFILLED = "IOC_UNFILLED"
    FOK_UNFILLED = "FOK_UNFILLED"
    RISK = "RISK"
    EMERGENCY_STOP = "EMERGENCY_STOP"
    STRATEGY_STOPPED = "STRATEGY_STOPPED"
    VENUE = "VENUE"
