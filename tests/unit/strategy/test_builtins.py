"""Every built-in: registered, documented, buildable with its defaults, deterministic."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from shared.strategy.base import Strategy
from shared.strategy.builtins import BUILTINS
from shared.strategy.candles import Candle
from shared.strategy.catalog import build, runner_for
from shared.strategy.params import describe, resolve
from tests.unit.strategy.support import INSTRUMENTS, T0, Sim, candle, definition

NAMES = sorted(BUILTINS)
DOCS = Path(__file__).parents[3] / "docs" / "strategies.md"


def random_walk(n: int, seed: int) -> list[Candle]:
    rng = random.Random(seed)
    price, out = 5000.0, []
    for i in range(n):
        close = round((price + rng.gauss(0, 2)) * 4) / 4
        high = max(price, close) + rng.choice((0, 0.25, 0.5, 1.0))
        low = min(price, close) - rng.choice((0, 0.25, 0.5, 1.0))
        out.append(
            candle(i, close, open_=price, high=high, low=low, volume=float(rng.randint(1, 500)))
        )
        price = close
    return out


def test_the_four_builtins_are_registered_by_their_names() -> None:
    assert NAMES == ["donchian_breakout", "ma_crossover", "rsi_reversion", "vwap_reversion"]
    for name, cls in BUILTINS.items():
        assert name == cls.NAME
        assert issubclass(cls, Strategy)


@pytest.mark.parametrize("name", NAMES)
def test_every_builtin_explains_its_rules_and_parameters(name: str) -> None:
    cls = BUILTINS[name]
    assert cls.__doc__ and len(cls.__doc__.splitlines()) > 3
    assert cls.PARAMS
    for param in cls.PARAMS:
        assert param.doc, f"{name}.{param.name} has no doc"
        assert param.default is not None, f"{name}.{param.name} has no default"
    assert len({p.name for p in cls.PARAMS}) == len(cls.PARAMS)


@pytest.mark.parametrize("name", NAMES)
def test_every_builtin_builds_with_its_defaults(name: str) -> None:
    strategy = build(definition(f"builtin:{name}"))
    assert type(strategy) is BUILTINS[name]
    assert strategy.params == resolve(BUILTINS[name].PARAMS, {})


@pytest.mark.parametrize("name", NAMES)
def test_every_builtin_trades_a_random_walk_the_same_way_twice(name: str) -> None:
    candles = random_walk(600, seed=5)
    first = Sim(definition(f"builtin:{name}")).run(candles)
    second = Sim(definition(f"builtin:{name}")).run(candles)
    assert first.commands == second.commands
    assert first.fills == second.fills
    assert len(first.fills) >= 4, "the walk should make every built-in trade"
    assert first.ctx.position() == first.position()  # its book agrees with its fills


@pytest.mark.parametrize("name", NAMES)
def test_warming_up_sends_nothing_and_leaves_the_indicators_as_a_live_run_would(
    name: str,
) -> None:
    candles = random_walk(300, seed=11)
    warmed = runner_for(definition(f"builtin:{name}"), INSTRUMENTS)
    live = runner_for(definition(f"builtin:{name}"), INSTRUMENTS)
    assert warmed.start(T0) == live.start(T0) == ()
    sent: list[object] = []
    for c in candles:
        warmed.warm(c)
        sent.extend(live.on_bar(c))
    assert sent, "the live run should have traded"
    assert warmed.ctx.book.pending == {}
    for sub, feeds in live.ctx.feeds.items():
        assert [t.value for t in warmed.ctx.feeds[sub]] == [t.value for t in feeds]
        assert list(warmed.ctx.history(*sub)) == list(live.ctx.history(*sub))


def test_docs_list_every_parameter_of_every_builtin() -> None:
    text = DOCS.read_text()
    for name, cls in BUILTINS.items():
        section = text.split(f"`builtin:{name}`", 1)
        assert len(section) == 2, f"docs/strategies.md has no section for builtin:{name}"
        table = section[1].split("\n## ", 1)[0]
        for row in describe(cls.PARAMS):
            assert f"| `{row['name']}` | {row['type']} |" in table, f"{name}.{row['name']}"
            assert str(row["doc"]) in table, f"{name}.{row['name']} doc"
