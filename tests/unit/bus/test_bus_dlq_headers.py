"""Dead-letter headers: original headers kept, error headers added once."""

from shared.bus import dlq
from shared.bus.types import Record


def test_redead_lettering_replaces_earlier_error_headers():
    record = Record(
        "orders.events.dlq",
        1,
        9,
        b"k",
        b"v",
        (("type", b"OrderFilled"), (dlq.HEADER_REASON, b"handler_failed")),
    )
    headers = dlq.dead_letter_headers(
        record, reason="no_handler", detail="x", consumer="g", ts_ns=1
    )
    reasons = [v for k, v in headers if k == dlq.HEADER_REASON]
    assert reasons == [b"no_handler"]
    assert ("type", b"OrderFilled") in headers


def test_error_detail_is_truncated_to_fit_a_header():
    detail = dlq.describe_error(ValueError("x" * 5000))
    assert detail.startswith("ValueError: xxx")
    assert len(detail) == dlq.MAX_DETAIL_CHARS


def test_dlq_topic_is_the_source_topic_with_the_suffix():
    assert dlq.dlq_topic("orders.commands") == "orders.commands.dlq"
