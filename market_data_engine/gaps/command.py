"""The ``gaps`` command's work: a gap report from the configured InfluxDB, as a table."""

from __future__ import annotations

from market_data_engine.gaps.report import GapReport, GapReports, InfluxOpenTimes
from market_data_engine.queries import Catalog, iso, parse_time
from market_data_engine.queries.stores import influx_for
from market_data_engine.settings import MarketDataEngineSettings
from shared.cli.output import table
from shared.clock import SystemClock
from shared.instruments import InstrumentRegistry


def render(report: GapReport) -> str:
    """A headline, then one row per gap."""
    head = (
        f"{report.symbol} {report.timeframe} {iso(report.start_ns)} .. {iso(report.end_ns)}: "
        f"{len(report.gaps)} gap(s), {report.missing:,} of {report.expected:,} in-session "
        "intervals missing"
    )
    if not report.gaps:
        return head
    rows = [(iso(g.start_ns), iso(g.end_ns), f"{g.missing:,}") for g in report.gaps]
    return head + "\n\n" + table(("START", "END", "MISSING"), rows)


async def run_gaps(
    symbol: str, timeframe: str, start: str | None, end: str | None, *, database: str | None
) -> str:
    """The report of [start, end) as text; LookupError / ValueError say what is wrong."""
    start_ns = None if start is None else parse_time(start)
    end_ns = None if end is None else parse_time(end)
    settings = MarketDataEngineSettings()
    catalog = Catalog(InstrumentRegistry.with_standard_futures(), settings.timeframes)
    influx = influx_for(settings, database)
    await influx.start()
    try:
        reports = GapReports(InfluxOpenTimes(influx), catalog, SystemClock())
        return render(await reports.report(symbol, timeframe, start_ns, end_ns))
    finally:
        await influx.close()
