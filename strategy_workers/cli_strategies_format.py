"""How ``tickstream strategy`` prints strategies, versions and the built-in types."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, is_dataclass
from typing import TYPE_CHECKING, Any

from shared.cli.output import table
from shared.clock import ns_to_iso

if TYPE_CHECKING:
    from shared.db.strategies import StrategyInfo, VersionInfo
    from shared.strategy.definition import StrategyDefinition


def when(ns: int | None) -> str:
    """A nanosecond time as UTC to the second."""
    return "-" if not ns else ns_to_iso(ns)[:19] + "Z"


def plain(value: object) -> str:
    """A parameter value as people type it."""
    if isinstance(value, bool):
        return str(value).lower()
    return format(value, "f") if hasattr(value, "is_finite") else str(value)


def settings_text(parameters: Mapping[str, Any]) -> str:
    """``name=value`` pairs, in order."""
    return " ".join(f"{k}={plain(v)}" for k, v in parameters.items()) or "-"


def markets(subscriptions: Sequence[Sequence[str]]) -> str:
    """``ESZ6 1m, ESZ6 5m``."""
    return ", ".join(f"{symbol} {timeframe}" for symbol, timeframe in subscriptions)


def sizing_text(sizing: Mapping[str, str]) -> str:
    """``fixed 1`` or ``equity 0.1``."""
    if sizing["mode"] == "fixed":
        return f"fixed {sizing['quantity']} contract(s)"
    return f"equity fraction {sizing['fraction']}"


def strategies_table(found: Sequence[StrategyInfo]) -> str:
    """One line per strategy."""
    rows = [
        (str(s.strategy_id), s.name, s.status.value, f"{s.version}/{s.latest_version}",
         str(s.account_id), str(s.user_id), when(s.updated_at_ns))
        for s in found
    ]  # fmt: skip
    header = ("STRATEGY", "NAME", "STATUS", "VERSION/LATEST", "ACCOUNT", "USER", "UPDATED")
    return table(header, rows)


def strategy_fields(info: StrategyInfo, d: StrategyDefinition) -> list[tuple[str, str]]:
    """A strategy and the version it runs (or last ran, or the newest), field by field."""
    content = d.content()
    return [
        ("strategy", str(info.strategy_id)),
        ("name", info.name),
        ("status", info.status.value),
        ("error", info.error or "-"),
        ("user", str(info.user_id)),
        ("account", str(info.account_id)),
        ("version", f"{d.version} (latest {info.latest_version})"),
        ("hash", d.content_hash),
        ("code", d.code_ref),
        ("markets", markets(content["subscriptions"])),
        ("parameters", settings_text(d.parameters)),
        ("rules", "-" if d.rules is None else json.dumps(d.rules, sort_keys=True)),
        ("sizing", sizing_text(content["sizing"])),
        ("capital", content["capital"]),
        ("run", str(info.run_id) if info.run_id else "-"),
        ("created", when(info.created_at_ns)),
        ("updated", when(info.updated_at_ns)),
    ]


def versions_table(found: Sequence[VersionInfo]) -> str:
    """One line per version, oldest first."""
    rows = [
        (str(v.version), v.content_hash[:12], when(v.created_at_ns), v.content["code_ref"],
         markets(v.content["subscriptions"]), settings_text(v.content["parameters"] or {}),
         sizing_text(v.content["sizing"]), v.content["capital"])
        for v in found
    ]  # fmt: skip
    header = ("VERSION", "HASH", "CREATED", "CODE", "MARKETS", "PARAMETERS", "SIZING", "CAPITAL")
    return table(header, rows)


def types_table(described: Mapping[str, list[dict[str, object]]]) -> str:
    """Each built-in's parameters: type, default, range or choices, meaning."""
    rows = []
    for code, params in described.items():
        for p in params:
            bounds = "|".join(map(plain, p["choices"])) if p["choices"] else _range(p)  # type: ignore[call-overload]
            default = "required" if p["default"] is None else plain(p["default"])
            rows.append((code, str(p["name"]), str(p["type"]), default, bounds, str(p["doc"])))
    return table(("CODE", "PARAMETER", "TYPE", "DEFAULT", "RANGE", "MEANING"), rows)


def _range(p: Mapping[str, object]) -> str:
    low, high = p["min"], p["max"]
    if low is None and high is None:
        return "-"
    return f"{'' if low is None else f'{low:g}'}..{'' if high is None else f'{high:g}'}"


def as_json(value: object) -> str:
    """Dataclasses (or lists of them) as indented JSON; UUIDs, Decimals and enums as text."""

    def plain_data(item: object) -> object:
        if is_dataclass(item) and not isinstance(item, type):
            return asdict(item)
        return item

    data = [plain_data(v) for v in value] if isinstance(value, list) else plain_data(value)
    return json.dumps(data, indent=2, default=str, sort_keys=True)
