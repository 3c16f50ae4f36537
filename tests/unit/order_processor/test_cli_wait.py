"""What an order command waits for: its answer, and with --wait-fill its order's fills."""

from __future__ import annotations

import uuid

from order_processor.cli_options import Exit
from order_processor.cli_wait import Conversation
from shared.messages.schemas.reasons import RejectReason
from tests.unit.order_processor.cli_events import (
    accepted,
    canceled,
    filled,
    rejected,
    wrap,
)

COMMAND = uuid.UUID("00000000-0000-4000-8000-00000000c0de")


def test_an_event_caused_by_another_command_is_not_the_answer() -> None:
    conversation = Conversation(COMMAND, submit=True)

    taken = conversation.offer(wrap(accepted(uuid.uuid4()), cause=uuid.uuid4()))

    assert not taken
    assert not conversation.answered
    assert conversation.outcome(10)[0] is Exit.UNAVAILABLE


def test_acceptance_answers_a_submit_with_exit_zero() -> None:
    conversation = Conversation(COMMAND, submit=True)

    assert conversation.offer(wrap(accepted(COMMAND), cause=COMMAND))

    assert conversation.done
    assert conversation.outcome(10) == (Exit.OK, "")
    assert not conversation.repeated


def test_a_rejection_exits_one_with_its_reason_code() -> None:
    conversation = Conversation(COMMAND, submit=True, follow=True)
    event = rejected(COMMAND, RejectReason.UNKNOWN_INSTRUMENT, "unknown instrument 'XXZ9'")

    conversation.offer(wrap(event, cause=COMMAND))

    code, message = conversation.outcome(10)
    assert conversation.done
    assert code is Exit.REJECTED
    assert message == "rejected: UNKNOWN_INSTRUMENT: unknown instrument 'XXZ9'"


def test_no_answer_in_time_exits_two_and_names_the_timeout() -> None:
    code, message = Conversation(COMMAND).outcome(2.5)

    assert code is Exit.UNAVAILABLE
    assert "within 2.5 s" in message


def test_waiting_for_fills_ends_only_when_nothing_is_left() -> None:
    conversation = Conversation(COMMAND, follow=True)
    conversation.offer(wrap(accepted(COMMAND), cause=COMMAND))

    conversation.offer(wrap(filled(COMMAND, "1", cum="1", leaves="1")))
    partly = conversation.done
    conversation.offer(wrap(filled(COMMAND, "1", cum="2", leaves="0")))

    assert not partly
    assert conversation.done
    assert conversation.outcome(10) == (Exit.OK, "")
    assert len(conversation.events) == 3


def test_an_accepted_order_still_working_at_the_timeout_exits_two() -> None:
    conversation = Conversation(COMMAND, follow=True)
    conversation.offer(wrap(accepted(COMMAND), cause=COMMAND))
    conversation.offer(wrap(filled(COMMAND, "1", cum="1", leaves="1")))

    code, message = conversation.outcome(10)

    assert code is Exit.UNAVAILABLE
    assert "still working" in message


def test_an_order_canceled_before_it_filled_exits_one() -> None:
    conversation = Conversation(COMMAND, follow=True)
    conversation.offer(wrap(accepted(COMMAND), cause=COMMAND))

    conversation.offer(wrap(canceled(COMMAND)))

    assert conversation.done
    assert conversation.outcome(10)[0] is Exit.REJECTED


def test_fills_of_other_orders_are_not_followed() -> None:
    conversation = Conversation(COMMAND, follow=True)
    conversation.offer(wrap(accepted(COMMAND), cause=COMMAND))

    taken = conversation.offer(wrap(filled(uuid.uuid4(), "2", cum="2", leaves="0")))

    assert not taken
    assert not conversation.done


def test_bracket_children_of_the_followed_order_are_shown() -> None:
    conversation = Conversation(COMMAND, follow=True)
    conversation.offer(wrap(accepted(COMMAND), cause=COMMAND))

    child = accepted(uuid.uuid4(), parent_order_id=COMMAND)

    assert conversation.offer(wrap(child))


def test_a_repeated_client_order_id_answers_with_the_earlier_order_and_waits_no_more() -> None:
    earlier = uuid.uuid4()
    conversation = Conversation(COMMAND, follow=True)

    conversation.offer(wrap(accepted(earlier), cause=COMMAND))

    assert conversation.repeated
    assert conversation.done
    assert conversation.outcome(10) == (Exit.OK, "")


def test_a_cancel_is_answered_by_the_cancellation_of_another_order_id() -> None:
    conversation = Conversation(COMMAND)

    conversation.offer(wrap(canceled(uuid.uuid4()), cause=COMMAND))

    assert conversation.done
    assert not conversation.repeated
    assert conversation.outcome(10) == (Exit.OK, "")


def test_events_after_the_first_answer_do_not_change_the_outcome() -> None:
    conversation = Conversation(COMMAND)
    conversation.offer(wrap(canceled(uuid.uuid4()), cause=COMMAND))

    later = rejected(uuid.uuid4(), RejectReason.ORDER_NOT_FOUND, "no such order")
    conversation.offer(wrap(later, cause=COMMAND))

    assert conversation.rejection is None
    assert conversation.outcome(10)[0] is Exit.OK
