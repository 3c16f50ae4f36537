"""Strategy versions: the content hash names exactly what decides the behaviour."""

from __future__ import annotations

import dataclasses
import uuid
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.strategy.definition import (
    Sizing,
    StrategyDefinition,
    Subscription,
    content_hash,
    version_content,
)
from tests.unit.strategy.support import definition

D = Decimal
BASE = definition(parameters={"fast": 5, "slow": 20})


def test_content_hash_is_stable_across_runs() -> None:
    # Pinned: a change here re-versions every stored strategy; do it on purpose only.
    assert BASE.content_hash == "c1f76a404b5c3adbf704d49f710f35f407791714ab78e8de4c420286f22431d5"


def test_content_is_plain_json_data() -> None:
    assert BASE.content() == {
        "code_ref": "builtin:ma_crossover",
        "subscriptions": [["ESZ6", "1m"]],
        "parameters": {"fast": 5, "slow": 20},
        "rules": None,
        "sizing": {"mode": "fixed", "quantity": "1", "fraction": "0.1"},
        "capital": "100000",
    }


def test_content_hash_is_the_hash_of_the_content() -> None:
    assert BASE.content_hash == content_hash(BASE.content())
    assert (
        content_hash(
            version_content(
                BASE.code_ref, BASE.subscriptions, BASE.parameters, None, BASE.sizing, BASE.capital
            )
        )
        == BASE.content_hash
    )


def test_parameter_order_does_not_matter() -> None:
    other = dataclasses.replace(BASE, parameters={"slow": 20, "fast": 5})
    assert other.content_hash == BASE.content_hash


@pytest.mark.parametrize(
    "change",
    [
        {"code_ref": "builtin:rsi_reversion"},
        {"subscriptions": (Subscription("ESZ6", "5m"),)},
        {"subscriptions": (Subscription("ESZ6", "1m"), Subscription("ESZ6", "1h"))},
        {"parameters": {"fast": 6, "slow": 20}},
        {"parameters": {"fast": 5, "slow": 21}},
        {"parameters": {"fast": 5, "slow": 20, "average": "ema"}},
        {"parameters": {"fast": 5}},
        {"rules": {"rules": []}},
        {"sizing": Sizing(quantity=D(2))},
        {"sizing": Sizing(mode="equity")},
        {"sizing": Sizing(mode="equity", fraction=D("0.2"))},
        {"capital": D(50_000)},
    ],
)
def test_any_change_of_behaviour_changes_the_hash(change: dict[str, Any]) -> None:
    assert dataclasses.replace(BASE, **change).content_hash != BASE.content_hash


@pytest.mark.parametrize(
    "change",
    [
        {"version": 7},
        {"name": "renamed"},
        {"strategy_id": uuid.UUID(int=9)},
        {"user_id": uuid.UUID(int=9)},
        {"account_id": uuid.UUID(int=9)},
    ],
)
def test_identity_and_labels_are_not_content(change: dict[str, Any]) -> None:
    assert dataclasses.replace(BASE, **change).content_hash == BASE.content_hash


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=8),
        st.one_of(st.integers(), st.booleans(), st.text(max_size=8)),
        max_size=5,
    ),
    st.text(min_size=1, max_size=8),
    st.integers(min_value=-1000, max_value=1000),
)
def test_changing_any_one_parameter_value_changes_the_hash(
    params: dict[str, Any], name: str, value: int
) -> None:
    before = dataclasses.replace(BASE, parameters=params)
    changed = {**params, name: value}
    after = dataclasses.replace(BASE, parameters=changed)
    same = name in params and params[name] == value and type(params[name]) is int
    assert (before.content_hash == after.content_hash) is same


def test_decimal_parameters_hash_as_their_text() -> None:
    with_decimal = dataclasses.replace(BASE, parameters={"k": D("1.50")})
    assert with_decimal.content()["parameters"] == {"k": "1.50"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "kelly"}, "sizing mode 'kelly' is not 'fixed' or 'equity'"),
        ({"quantity": D(0)}, "sizing quantity 0 is not a whole number above 0"),
        ({"quantity": D("1.5")}, "sizing quantity 1.5 is not a whole number above 0"),
        ({"fraction": D(0)}, r"sizing fraction 0 is not in \(0, 10\]"),
        ({"fraction": D(11)}, r"sizing fraction 11 is not in \(0, 10\]"),
    ],
)
def test_sizing_is_validated(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Sizing(**kwargs)


def test_definition_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        BASE.version = 2  # type: ignore[misc]
    assert isinstance(BASE, StrategyDefinition)
