"""The InfluxDB adapter's HTTP requests, against a mock transport (no server)."""

from __future__ import annotations

import base64

import httpx
import pytest

from shared.tsdb import InfluxDB, InfluxError, NotStartedError


class Recorder:
    def __init__(self, write_status: int = 204, body: bytes = b"") -> None:
        self.requests: list[httpx.Request] = []
        self.write_status = write_status
        self.body = body

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/ping":
            return httpx.Response(204)
        if request.url.path == "/write":
            return httpx.Response(self.write_status, content=self.body)
        return httpx.Response(200, json={"results": [{"statement_id": 0}]})

    @property
    def writes(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path == "/write"]


async def started(recorder: Recorder, **kwargs) -> InfluxDB:
    influx = InfluxDB(
        "http://influx:8086/", "ticks", transport=httpx.MockTransport(recorder), **kwargs
    )
    await influx.start()
    return influx


async def test_lines_are_written_in_batches_with_database_and_ns_precision():
    recorder = Recorder()
    influx = await started(recorder, batch_lines=2, retention_policy="autogen")
    lines = [f"m v={i}i {i}" for i in range(5)]
    assert await influx.write_lines(iter(lines)) == 5
    bodies = [r.content.decode().split("\n") for r in recorder.writes]
    assert bodies == [lines[0:2], lines[2:4], lines[4:5]]
    params = recorder.writes[0].url.params
    assert (params["db"], params["precision"], params["rp"]) == ("ticks", "ns", "autogen")
    await influx.close()


async def test_writing_nothing_sends_nothing():
    recorder = Recorder()
    influx = await started(recorder)
    assert await influx.write_lines([]) == 0
    assert recorder.writes == []
    await influx.close()


async def test_a_refused_write_raises_with_status_and_server_message():
    recorder = Recorder(write_status=400, body=b'{"error":"unable to parse \'m v=\'"}')
    influx = await started(recorder)
    with pytest.raises(InfluxError, match=r"HTTP 400.*unable to parse") as raised:
        await influx.write_lines(["m v="])
    assert raised.value.status == 400
    await influx.close()


async def test_token_auth_sends_the_token_header():
    recorder = Recorder()
    influx = await started(recorder, token="s3cret")
    assert recorder.requests[0].headers["Authorization"] == "Token s3cret"
    await influx.close()


async def test_username_and_password_use_basic_auth():
    recorder = Recorder()
    influx = await started(recorder, username="u", password="p")
    expected = "Basic " + base64.b64encode(b"u:p").decode()
    assert recorder.requests[0].headers["Authorization"] == expected
    await influx.close()


def test_token_and_password_together_are_refused():
    with pytest.raises(ValueError, match="either a token"):
        InfluxDB("http://x", "db", token="t", username="u", password="p")


async def test_reads_use_get_with_epoch_and_bound_params():
    recorder = Recorder()
    influx = await started(recorder)
    await influx.query("SELECT * FROM m WHERE s = $s", params={"s": "ES"})
    request = recorder.requests[-1]
    assert request.method == "GET"
    assert request.url.params["epoch"] == "ns"
    assert request.url.params["params"] == '{"s":"ES"}'
    await influx.close()


async def test_create_database_posts_a_quoted_statement():
    recorder = Recorder()
    influx = await started(recorder)
    await influx.create_database('odd "name"')
    request = recorder.requests[-1]
    assert request.method == "POST"
    assert request.url.params["q"] == 'CREATE DATABASE "odd \\"name\\""'
    await influx.close()


async def test_use_before_start_is_a_clear_error():
    with pytest.raises(NotStartedError, match="start"):
        await InfluxDB("http://x", "db").ping()


async def test_a_failed_start_can_be_retried():
    answers = iter([httpx.Response(503), httpx.Response(204)])
    influx = InfluxDB("http://x", "db", transport=httpx.MockTransport(lambda _: next(answers)))
    with pytest.raises(InfluxError, match="ping failed: HTTP 503"):
        await influx.start()
    await influx.start()
    assert influx.client.base_url == httpx.URL("http://x")
    await influx.close()
