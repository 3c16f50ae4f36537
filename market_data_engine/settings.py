"""Settings of the market data engine (environment variables ``TICKSTREAM_*``)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, field_validator

from market_data_engine.domain.timeframes import DEFAULT_TIMEFRAMES, parse_timeframes
from shared.messages.topics import MARKETDATA_BARS, MARKETDATA_TRADES
from shared.settings import Dependency, ServiceSettings


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


class MarketDataEngineSettings(ServiceSettings):
    """The market data engine's settings: the common ones plus its name and what it needs."""

    service_name: ClassVar[str] = "market_data_engine"
    dependencies: ClassVar[tuple[Dependency, ...]] = (
        Dependency.KAFKA,
        Dependency.REDIS,
        Dependency.INFLUXDB,
    )

    marketdata_timeframes: str = ",".join(DEFAULT_TIMEFRAMES)
    marketdata_grace_s: float = Field(default=2.0, ge=0)
    marketdata_live: bool = True
    marketdata_snapshot_interval_s: float = Field(default=0.0, ge=0)
    marketdata_trades_topic: str = MARKETDATA_TRADES.name
    marketdata_bars_topic: str = MARKETDATA_BARS.name
    marketdata_consumer_group: str = "market_data_engine"
    marketdata_batch_max_records: int = Field(default=20_000, ge=1)
    marketdata_non_positive_price_roots: str = ""

    @field_validator("marketdata_timeframes")
    @classmethod
    def _known_timeframes(cls, value: str) -> str:
        parse_timeframes(_names(value))  # raises ValueError saying what is wrong
        return value

    @property
    def timeframes(self) -> tuple[str, ...]:
        """The candle timeframes, as configured."""
        return _names(self.marketdata_timeframes)

    @property
    def non_positive_price_roots(self) -> tuple[str, ...]:
        """Symbols or futures roots whose trades may be priced at zero or below."""
        return _names(self.marketdata_non_positive_price_roots)
