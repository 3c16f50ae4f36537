"""OffsetTracker: commit only what is done, contiguously, whatever the completion order."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from shared.bus.offsets import OffsetTracker

offset_sets = st.lists(st.integers(0, 10_000), min_size=1, max_size=60, unique=True)


def test_nothing_tracked_means_nothing_to_commit():
    assert OffsetTracker().committable() is None


def test_in_flight_offset_holds_back_the_commit():
    tracker = OffsetTracker()
    for offset in (5, 6, 7):
        tracker.track(offset)
    tracker.done(6)
    tracker.done(7)
    assert tracker.committable() == 5
    tracker.done(5)
    assert tracker.committable() == 8


def test_gaps_between_offsets_do_not_block_the_commit():
    tracker = OffsetTracker()
    for offset in (3, 9):
        tracker.track(offset)
    tracker.done(3)
    assert tracker.committable() == 9
    tracker.done(9)
    assert tracker.committable() == 10


def test_done_for_an_untracked_offset_is_refused():
    tracker = OffsetTracker()
    tracker.track(4)
    with pytest.raises(ValueError):
        tracker.done(5)


def test_redelivered_offset_below_the_commit_point_changes_nothing():
    tracker = OffsetTracker()
    tracker.track(1)
    tracker.done(1)
    tracker.track(1)
    assert tracker.committable() == 2
    assert tracker.in_flight == 0


@settings(derandomize=True, max_examples=300)
@given(offsets=offset_sets, data=st.data())
def test_committable_is_first_not_done_for_any_completion_order(offsets, data):
    tracker = OffsetTracker()
    for offset in sorted(offsets):
        tracker.track(offset)
    order = data.draw(st.permutations(offsets))
    remaining = set(offsets)
    previous = tracker.committable()
    for offset in order:
        tracker.done(offset)
        remaining.discard(offset)
        expected = min(remaining) if remaining else max(offsets) + 1
        current = tracker.committable()
        assert current == expected
        assert previous is not None and current is not None and current >= previous
        previous = current


class TrackerMachine(RuleBasedStateMachine):
    """Receiving and completing interleave, as with a live partition."""

    def __init__(self):
        super().__init__()
        self.tracker = OffsetTracker()
        self.pending: set[int] = set()
        self.next_offset = 0
        self.high = -1
        self.last_committable: int | None = None

    @rule(gap=st.integers(0, 3))
    def receive(self, gap):
        offset = self.next_offset + gap
        self.tracker.track(offset)
        self.pending.add(offset)
        self.high = offset
        self.next_offset = offset + 1

    @precondition(lambda self: self.pending)
    @rule(data=st.data())
    def complete(self, data):
        offset = data.draw(st.sampled_from(sorted(self.pending)))
        self.tracker.done(offset)
        self.pending.remove(offset)

    @invariant()
    def commits_exactly_the_contiguous_done_prefix(self):
        current = self.tracker.committable()
        if self.high < 0:
            assert current is None
            return
        assert current == (min(self.pending) if self.pending else self.high + 1)
        if self.last_committable is not None:
            assert current >= self.last_committable
        self.last_committable = current
        assert self.tracker.in_flight == len(self.pending)


TrackerMachine.TestCase.settings = settings(derandomize=True, max_examples=100)
test_tracker_interleaving = TrackerMachine.TestCase
