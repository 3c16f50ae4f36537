"""The dispatcher's decisions, shared by the Kafka loop and the in-memory twin."""

import itertools
from decimal import Decimal
from typing import Any

import pytest
from prometheus_client import REGISTRY

from shared.bus import dlq
from shared.bus.dispatch import Dispatcher, Outcome
from shared.bus.errors import make_classifier
from shared.bus.memory import MemoryBus
from shared.bus.memory_consumer import RecordingSleep
from shared.bus.retry import RetryPolicy
from shared.bus.types import HandlerResult, Handlers, Record
from shared.clock import FakeClock
from shared.messages import Envelope, Payload, encode, headers_for, new_envelope
from shared.messages.schemas.marketdata import Trade

TOPIC = "marketdata.trades"
START_NS = 1_700_000_000_000_000_000
_groups = itertools.count()


def trade(symbol: str = "ESZ5", price: str = "5000.25") -> Envelope[Payload]:
    payload = Trade(symbol=symbol, price=Decimal(price), size=Decimal(1))
    return new_envelope(payload, clock=FakeClock(START_NS), producer="test")


def record_of(envelope: Envelope[Payload], offset: int = 7, topic: str = TOPIC) -> Record:
    return Record(topic, 2, offset, b"ESZ5", encode(envelope), tuple(headers_for(envelope)))


def group() -> str:
    return f"dispatch-test-{next(_groups)}"


def make(
    handlers: Handlers,
    *,
    bus: MemoryBus | None = None,
    policy: RetryPolicy | None = None,
    sleep: RecordingSleep | None = None,
    **kwargs: Any,
) -> tuple[Dispatcher, MemoryBus, RecordingSleep]:
    bus = bus or MemoryBus()
    sleep = sleep or RecordingSleep()
    dispatcher = Dispatcher(
        handlers=handlers,
        publisher=bus,
        consumer=kwargs.pop("consumer", group()),
        policy=policy or RetryPolicy(max_attempts=3, base_backoff_s=0.1, max_backoff_s=2.0),
        clock=FakeClock(START_NS + 5),
        sleep=sleep,
        **kwargs,
    )
    return dispatcher, bus, sleep


class Flaky:
    """A handler that raises the given errors in turn, then returns ``result``."""

    def __init__(self, *errors: Exception, result: HandlerResult = None) -> None:
        self.errors = list(errors)
        self.calls = 0
        self.result = result

    async def __call__(self, envelope: Envelope[Payload]) -> HandlerResult:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return self.result


def dlq_headers(bus: MemoryBus, topic: str = TOPIC + ".dlq") -> tuple[Record, dict[str, bytes]]:
    [dead] = bus.records(topic)
    return dead, dict(dead.headers)


async def test_poison_message_is_dead_lettered_at_once_with_its_reason() -> None:
    handler = Flaky()
    dispatcher, bus, sleep = make(handler, consumer="poison-group")
    poison = Record("marketdata.trades", 3, 41, b"ESZ5", b"{not json", (("trace", b"abc"),))

    outcome = await dispatcher.dispatch(poison)

    assert outcome is Outcome.DEAD_LETTERED
    assert handler.calls == 0
    assert sleep.delays == []
    dead, headers = dlq_headers(bus)
    assert (dead.key, dead.value) == (b"ESZ5", b"{not json")
    assert headers["trace"] == b"abc"
    assert headers[dlq.HEADER_REASON] == b"decode_failed"
    assert headers[dlq.HEADER_DETAIL].startswith(b"DecodeError: malformed_json")
    assert headers[dlq.HEADER_SOURCE_TOPIC] == b"marketdata.trades"
    assert headers[dlq.HEADER_SOURCE_PARTITION] == b"3"
    assert headers[dlq.HEADER_SOURCE_OFFSET] == b"41"
    assert headers[dlq.HEADER_CONSUMER] == b"poison-group"
    assert headers[dlq.HEADER_TS] == str(START_NS + 5).encode()


async def test_unknown_message_type_is_poison() -> None:
    dispatcher, bus, _ = make(Flaky())
    record = Record("marketdata.trades", 0, 0, None, b"{}", (("type", b"Nope"), ("version", b"1")))
    assert await dispatcher.dispatch(record) is Outcome.DEAD_LETTERED
    _, headers = dlq_headers(bus)
    assert b"unknown_type" in headers[dlq.HEADER_DETAIL]


async def test_type_missing_from_the_handler_map_is_dead_lettered_as_no_handler() -> None:
    dispatcher, bus, _ = make({"Bar": Flaky()})
    assert await dispatcher.dispatch(record_of(trade())) is Outcome.DEAD_LETTERED
    _, headers = dlq_headers(bus)
    assert headers[dlq.HEADER_REASON] == b"no_handler"


async def test_ignored_type_is_done_without_a_handler() -> None:
    dispatcher, bus, _ = make({}, ignored_types={"Trade"})
    assert await dispatcher.dispatch(record_of(trade())) is Outcome.HANDLED
    assert bus.records("marketdata.trades.dlq") == []


async def test_handler_map_routes_by_type_and_receives_the_decoded_envelope() -> None:
    seen: list[Envelope[Payload]] = []

    async def on_trade(envelope: Envelope[Payload]) -> None:
        seen.append(envelope)

    sent = trade()
    dispatcher, _, _ = make({"Trade": on_trade})
    assert await dispatcher.dispatch(record_of(sent)) is Outcome.HANDLED
    assert seen == [sent]


async def test_transient_errors_are_retried_with_growing_backoff_until_success() -> None:
    handler = Flaky(ConnectionRefusedError(), TimeoutError(), OSError("unreachable"))
    dispatcher, bus, sleep = make(handler)

    assert await dispatcher.dispatch(record_of(trade())) is Outcome.HANDLED
    assert handler.calls == 4
    assert len(sleep.delays) == 3
    assert 0.05 <= sleep.delays[0] <= 0.1
    assert 0.2 <= sleep.delays[2] <= 0.4
    assert bus.records("marketdata.trades.dlq") == []


async def test_transient_errors_never_dead_letter_however_long_the_outage() -> None:
    handler = Flaky(*[ConnectionResetError() for _ in range(200)])
    dispatcher, bus, sleep = make(handler, policy=RetryPolicy(max_attempts=2, max_backoff_s=5))

    assert await dispatcher.dispatch(record_of(trade())) is Outcome.HANDLED
    assert handler.calls == 201
    assert max(sleep.delays) <= 5
    assert bus.records("marketdata.trades.dlq") == []


async def test_a_bug_is_retried_max_attempts_times_then_dead_lettered() -> None:
    handler = Flaky(*[ValueError("boom") for _ in range(10)])
    dispatcher, bus, sleep = make(handler, consumer="bug-group")
    sent = trade()
    labels = {"group": "bug-group", "topic": TOPIC, "reason": "handler_failed"}
    before = REGISTRY.get_sample_value("tickstream_bus_dead_lettered_total", labels) or 0

    assert await dispatcher.dispatch(record_of(sent, offset=12)) is Outcome.DEAD_LETTERED
    assert handler.calls == 3
    assert len(sleep.delays) == 2
    dead, headers = dlq_headers(bus)
    assert dead.value == encode(sent)
    assert dead.key == b"ESZ5"
    assert headers["type"] == b"Trade"
    assert headers["message_id"] == str(sent.message_id).encode()
    assert headers[dlq.HEADER_REASON] == b"handler_failed"
    assert headers[dlq.HEADER_DETAIL] == b"ValueError: boom"
    assert headers[dlq.HEADER_SOURCE_OFFSET] == b"12"
    assert REGISTRY.get_sample_value("tickstream_bus_dead_lettered_total", labels) == before + 1


async def test_fatal_errors_propagate_without_retry_or_dead_letter() -> None:
    class Broken(Exception):
        pass

    handler = Flaky(Broken("ledger out of balance"))
    dispatcher, bus, sleep = make(handler, classifier=make_classifier(fatal=(Broken,)))
    with pytest.raises(Broken):
        await dispatcher.dispatch(record_of(trade()))
    assert (handler.calls, sleep.delays) == (1, [])
    assert bus.records("marketdata.trades.dlq") == []


async def test_envelopes_the_handler_returns_are_published_before_it_counts_as_handled() -> None:
    follow_ups = [trade("NQZ5", "20000"), trade("ESZ5", "5001")]
    dispatcher, bus, _ = make(Flaky(result=follow_ups))

    assert await dispatcher.dispatch(record_of(trade())) is Outcome.HANDLED
    published = bus.records("marketdata.trades")
    assert [r.value for r in published] == [encode(e) for e in follow_ups]
    assert [r.key for r in published] == [b"NQZ5", b"ESZ5"]


async def test_publishing_results_waits_out_a_bus_outage_without_rerunning_the_handler() -> None:
    bus = MemoryBus()
    bus.down = True
    handler = Flaky(result=[trade()])

    class BusComesBack(RecordingSleep):
        async def __call__(self, seconds: float) -> None:
            await super().__call__(seconds)
            bus.down = len(self.delays) < 3

    dispatcher, _, sleep = make(handler, bus=bus, sleep=BusComesBack())
    assert await dispatcher.dispatch(record_of(trade())) is Outcome.HANDLED
    assert handler.calls == 1
    assert len(sleep.delays) == 3
    assert len(bus.records("marketdata.trades")) == 1


async def test_retrying_stops_when_the_caller_stops_and_the_record_is_abandoned() -> None:
    handler = Flaky(*[ConnectionRefusedError() for _ in range(100)])
    dispatcher, bus, sleep = make(handler)
    stop_after = 4

    def keep_going() -> bool:
        return len(sleep.delays) < stop_after

    assert await dispatcher.dispatch(record_of(trade()), keep_going) is Outcome.ABANDONED
    assert handler.calls == stop_after
    assert bus.records("marketdata.trades.dlq") == []


async def test_dead_letter_write_is_retried_until_acknowledged() -> None:
    bus = MemoryBus()

    class DlqComesBack(RecordingSleep):
        async def __call__(self, seconds: float) -> None:
            await super().__call__(seconds)
            bus.down = len(self.delays) < 2

    dispatcher, _, sleep = make(Flaky(), bus=bus, sleep=DlqComesBack())
    bus.down = True
    poison = Record("marketdata.trades", 0, 0, None, b"\xff", ())
    assert await dispatcher.dispatch(poison) is Outcome.DEAD_LETTERED
    assert len(sleep.delays) == 2
    assert len(bus.records("marketdata.trades.dlq")) == 1
