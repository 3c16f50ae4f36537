"""Pure parts of running Kafka: the Java version check and cluster ids."""

from __future__ import annotations

import base64
import random

import pytest

from shared.stack.components.kafka import new_cluster_id
from shared.stack.kafkajars import java_major


@pytest.mark.parametrize(
    ("output", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15', 17),
        ('openjdk version "21" 2023-09-19', 21),
        ('java version "1.8.0_392"', 8),
        ("no java here", None),
    ],
)
def test_java_major_version_is_read_from_java_version_output(output: str, major: int) -> None:
    assert java_major(output) == major


def test_cluster_ids_are_16_bytes_base64url_and_never_start_with_a_dash() -> None:
    rng = random.Random(7)

    ids = [new_cluster_id(rng.randbytes) for _ in range(500)]

    assert all(len(base64.urlsafe_b64decode(i + "==")) == 16 for i in ids)
    assert all(len(i) == 22 and "=" not in i and not i.startswith("-") for i in ids)
