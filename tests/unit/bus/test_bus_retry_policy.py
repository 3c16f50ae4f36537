"""Backoff grows exponentially with jitter, capped; only permanent errors give up."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.bus.errors import ErrorKind
from shared.bus.retry import RetryPolicy


def test_backoff_doubles_within_jitter_until_the_cap():
    policy = RetryPolicy(base_backoff_s=0.1, max_backoff_s=1.0)
    rng = random.Random(7)
    ceilings = [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    for failures, ceiling in enumerate(ceilings, start=1):
        delay = policy.backoff_s(failures, rng)
        assert ceiling / 2 <= delay <= ceiling


@settings(derandomize=True)
@given(failures=st.integers(1, 100_000), seed=st.integers(0, 2**32))
def test_backoff_never_exceeds_the_cap_even_after_endless_failures(failures, seed):
    policy = RetryPolicy(base_backoff_s=0.05, max_backoff_s=30.0)
    delay = policy.backoff_s(failures, random.Random(seed))
    assert 0 < delay <= 30.0


def test_jitter_spreads_consumers_retrying_together():
    policy = RetryPolicy()
    delays = {policy.backoff_s(4, random.Random(seed)) for seed in range(20)}
    assert len(delays) > 1


def test_permanent_errors_give_up_after_max_attempts():
    policy = RetryPolicy(max_attempts=3)
    assert not policy.gives_up(ErrorKind.PERMANENT, 2)
    assert policy.gives_up(ErrorKind.PERMANENT, 3)


def test_transient_errors_never_give_up():
    policy = RetryPolicy(max_attempts=3)
    assert not policy.gives_up(ErrorKind.TRANSIENT, 10_000)


@pytest.mark.parametrize(
    "kwargs",
    [{"max_attempts": 0}, {"base_backoff_s": 0}, {"base_backoff_s": 2, "max_backoff_s": 1}],
)
def test_nonsensical_policies_are_refused(kwargs):
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)
