"""The catalog: code references to strategy classes, parameters checked when building."""

from __future__ import annotations

import pytest

from shared.strategy.builtins import BUILTINS
from shared.strategy.builtins.ma_crossover import MovingAverageCrossover
from shared.strategy.catalog import UnknownStrategy, build, runner_for, strategy_class
from shared.strategy.params import ParameterError, ParamValue
from shared.strategy.rules import RuleStrategy
from tests.unit.strategy.support import INSTRUMENTS, definition


def test_builtin_references_name_the_builtin_classes() -> None:
    for name, cls in BUILTINS.items():
        assert strategy_class(f"builtin:{name}") is cls
    assert strategy_class("rules") is RuleStrategy


@pytest.mark.parametrize("code_ref", ["builtin:nope", "ma_crossover", "builtin:", "", "rule"])
def test_an_unknown_reference_is_refused_with_the_known_ones(code_ref: str) -> None:
    with pytest.raises(UnknownStrategy) as caught:
        strategy_class(code_ref)
    message = str(caught.value)
    assert message.startswith(f"unknown strategy code {code_ref!r}; known: rules, builtin:")
    for name in BUILTINS:
        assert f"builtin:{name}" in message
    assert isinstance(caught.value, ValueError)


def test_build_fills_defaults_and_converts_given_values() -> None:
    strategy = build(definition(parameters={"fast": "3", "long_only": "true"}))
    assert isinstance(strategy, MovingAverageCrossover)
    assert strategy.params == {
        "fast": 3,
        "slow": 30,
        "average": "sma",
        "long_only": True,
        "take_profit_ticks": 0,
        "stop_loss_ticks": 0,
    }


@pytest.mark.parametrize(
    ("parameters", "name", "problem"),
    [
        ({"fastest": 3}, "fastest", "is not a parameter of this strategy"),
        ({"fast": 0}, "fast", "0 is below the minimum 1"),
        ({"average": "wma"}, "average", "'wma' is not one of sma, ema"),
        ({"fast": 30, "slow": 30}, "fast", "30 must be below slow (30)"),
    ],
)
def test_build_names_the_bad_parameter(
    parameters: dict[str, ParamValue], name: str, problem: str
) -> None:
    with pytest.raises(ParameterError) as caught:
        build(definition(parameters=parameters))
    assert caught.value.name == name
    assert caught.value.problem.startswith(problem)


def test_runner_for_builds_a_fresh_strategy_each_time() -> None:
    d = definition()
    one, two = runner_for(d, INSTRUMENTS, history_size=7), runner_for(d, INSTRUMENTS)
    assert one.strategy is not two.strategy
    assert one.ctx.history().maxlen == 7
    assert one.definition is d
