"""Every topic's message types are declared schemas, and every schema rides one topic."""

import types
import typing

import pytest

from shared.messages import TOPICS, all_schemas, topic_of

REGISTERED_TYPES = {type_ for type_, _ in all_schemas()}
TOPIC_MESSAGES = [(topic, type_) for topic in TOPICS for type_ in topic.message_types]


def test_every_topic_message_type_is_registered():
    unregistered = {type_ for _, type_ in TOPIC_MESSAGES} - REGISTERED_TYPES
    assert not unregistered


def test_every_registered_type_is_on_exactly_one_topic():
    for type_ in REGISTERED_TYPES:
        carriers = [topic.name for topic in TOPICS if type_ in topic.message_types]
        assert len(carriers) == 1, f"{type_} is on {carriers}"
        assert topic_of(type_).name == carriers[0]


def _allows_none(annotation: object) -> bool:
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    origin = typing.get_origin(annotation)
    return origin in (typing.Union, types.UnionType) and type(None) in typing.get_args(annotation)


@pytest.mark.parametrize(
    ("topic", "type_"), TOPIC_MESSAGES, ids=[f"{t.name}:{m}" for t, m in TOPIC_MESSAGES]
)
def test_every_version_of_a_message_has_its_topic_key(topic, type_):
    for (registered, _version), cls in all_schemas().items():
        if registered != type_:
            continue
        field = cls.model_fields.get(topic.key_field)
        assert field is not None, f"{cls.__name__} lacks {topic.key_field}"
        if topic.default_key is None:
            assert field.is_required(), f"{cls.__name__}.{topic.key_field} must be required"
            assert not _allows_none(field.annotation), f"{cls.__name__} may lack its key"


def test_topic_names_are_unique_and_dlq_twins_distinct():
    names = [topic.name for topic in TOPICS]
    assert len(names) == len(set(names))
    assert not {topic.dlq for topic in TOPICS} & set(names)
