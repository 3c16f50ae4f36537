"""Backfill: historical trades or 1-minute bars from files into candles of every timeframe."""

from market_data_engine.backfill.checkpoint import Checkpoint, CheckpointStore, job_id
from market_data_engine.backfill.runner import Backfill, Backfiller, BackfillResult
from market_data_engine.backfill.spec import InputKind, InputSpec
from market_data_engine.backfill.warm import warm_cache

__all__ = [
    "Backfill",
    "BackfillResult",
    "Backfiller",
    "Checkpoint",
    "CheckpointStore",
    "InputKind",
    "InputSpec",
    "job_id",
    "warm_cache",
]
