"""The strategy workers' own names in one test: topics, consumer groups, InfluxDB database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.support.order_rig import OrderTopics


@dataclass(frozen=True)
class WorkerNames:
    """The workers' own topics, groups and InfluxDB database in one test."""

    control: str
    signals: str
    bars_group: str
    control_group: str
    influx_database: str
    backtest_requests: str
    backtest_results: str
    backtest_group: str

    @classmethod
    def unique(cls, make: Callable[[str], str]) -> WorkerNames:
        return cls(
            make("it.sw.control"),
            make("it.sw.signals"),
            make("it-sw-bars"),
            make("it-sw-control"),
            make("it_sw"),
            make("it.sw.bt.requests"),
            make("it.sw.bt.results"),
            make("it-sw-bt"),
        )

    def fields(self, topics: OrderTopics) -> dict[str, Any]:
        return {
            "strategy_bars_topic": topics.bars,
            "strategy_commands_topic": topics.commands,
            "strategy_order_events_topic": topics.events,
            "strategy_control_topic": self.control,
            "strategy_signals_topic": self.signals,
            "strategy_bars_group": self.bars_group,
            "strategy_control_group": self.control_group,
            "influx_database": self.influx_database,
            "strategy_backtest_requests_topic": self.backtest_requests,
            "strategy_backtest_results_topic": self.backtest_results,
            "strategy_backtest_group": self.backtest_group,
        }
