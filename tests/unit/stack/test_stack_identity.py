"""Telling the stack's own processes from anything else."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shared.stack.process import Identity

REDIS = Identity(("redis-server", "/srv/stack/redis/redis.conf"))
SERVICE = Identity(("-m api_gateway",), {"TICKSTREAM_STACK_DIR": "/srv/stack"})


def test_redis_is_recognised_after_it_rewrote_its_process_title() -> None:
    title = ["redis-server 127.0.0.1:6379  /srv/stack/redis/redis.conf"]

    assert REDIS.matches(title, None)


def test_redis_of_another_stack_is_not_ours() -> None:
    title = ["redis-server 127.0.0.1:6379  /srv/other/redis/redis.conf"]

    assert not REDIS.matches(title, None)


def test_a_recycled_pid_running_something_else_is_not_ours() -> None:
    assert not REDIS.matches(["/usr/bin/vim", "notes.txt"], None)


def test_a_vanished_process_is_not_ours() -> None:
    assert not REDIS.matches([], None)


def test_a_service_needs_our_stack_marker_in_its_environment() -> None:
    argv = ["/repo/.venv/bin/python", "-m", "api_gateway"]

    assert SERVICE.matches(argv, {"TICKSTREAM_STACK_DIR": "/srv/stack", "PATH": "/bin"})
    assert not SERVICE.matches(argv, {"TICKSTREAM_STACK_DIR": "/srv/other"})
    assert not SERVICE.matches(argv, {})
    assert not SERVICE.matches(argv, None)


def test_a_service_started_by_hand_with_our_marker_but_another_module_is_not_ours() -> None:
    argv = ["/repo/.venv/bin/python", "-m", "order_processor"]

    assert not SERVICE.matches(argv, {"TICKSTREAM_STACK_DIR": "/srv/stack"})


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="\0"), min_size=1), min_size=1))
def test_a_process_always_matches_the_words_of_its_own_command_line(argv: list[str]) -> None:
    assert Identity(tuple(argv)).matches(argv, None)
