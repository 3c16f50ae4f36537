"""InfluxDB over its v1-compatible HTTP API, as a ``Resource``.

``/write`` (line protocol), ``/query`` (InfluxQL) and ``/ping`` are served alike by
InfluxDB 1.x, by 2.x (databases mapped to buckets through DBRP mappings; token auth)
and by 3.x, so this one adapter works against all three. Authentication: a token
(``Authorization: Token ...``, 2.x/3.x) or a username and password (HTTP basic auth,
1.x and 2.x v1 authorizations), or none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import islice
from typing import TYPE_CHECKING, Any

import httpx
import pydantic_core

from shared.resources import NotStartedError
from shared.tsdb.errors import error_from
from shared.tsdb.influxql import Series, parse_query_response, quote_ident

if TYPE_CHECKING:
    from shared.settings import CommonSettings

WRITE_BATCH_LINES = 5000


class InfluxDB:
    """Writes line protocol in batches and reads InfluxQL results from one database."""

    name = "influxdb"

    def __init__(
        self,
        url: str,
        database: str,
        *,
        token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        retention_policy: str | None = None,
        timeout_s: float = 10.0,
        batch_lines: int = WRITE_BATCH_LINES,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if token and (username or password):
            raise ValueError("give InfluxDB either a token or a username and password")
        if batch_lines < 1:
            raise ValueError("batch_lines must be at least 1")
        self.url = url.rstrip("/")
        self.database = database
        self._retention_policy = retention_policy
        self._timeout_s = timeout_s
        self._batch_lines = batch_lines
        # Answers uncompressed: the server is near, and gzip costs InfluxDB more time (about
        # 6 ms on a 500-row answer) than the bytes it saves on the wire.
        self._headers = {"Accept-Encoding": "identity"}
        if token:
            self._headers["Authorization"] = f"Token {token}"
        self._auth = httpx.BasicAuth(username, password or "") if username else None
        self._transport = transport  # tests pass httpx.MockTransport
        self._client: httpx.AsyncClient | None = None

    @classmethod
    def from_settings(cls, settings: CommonSettings) -> InfluxDB:
        """An adapter configured from the common settings (not started)."""
        token = settings.influx_token
        password = settings.influx_password
        return cls(
            settings.influx_url,
            settings.influx_database,
            token=token.get_secret_value() if token else None,
            username=settings.influx_username,
            password=password.get_secret_value() if password else None,
        )

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            raise NotStartedError("InfluxDB.start() has not succeeded yet; no HTTP client")
        return self._client

    async def start(self) -> None:
        """Open the HTTP client and check the server answers; raise if not."""
        if self._client is not None:
            return
        client = httpx.AsyncClient(
            base_url=self.url,
            headers=self._headers,
            auth=self._auth,
            timeout=self._timeout_s,
            transport=self._transport,
        )
        try:
            await self._ping(client)
        except BaseException:
            await client.aclose()
            raise
        self._client = client

    async def ping(self) -> None:
        """GET /ping; raises unless the server says 204 (200 from 3.x)."""
        await self._ping(self.client)

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    async def write_lines(self, lines: Iterable[str], *, database: str | None = None) -> int:
        """POST lines (nanosecond timestamps) in batches; returns how many were written.

        A refused batch raises ``InfluxError`` with the status and the server's message;
        batches before it stay written. Rewriting a point (same series and time) only
        overwrites it, so retrying a whole call is safe.
        """
        params = {"db": database or self.database, "precision": "ns"}
        if self._retention_policy:
            params["rp"] = self._retention_policy
        written = 0
        iterator = iter(lines)
        while batch := list(islice(iterator, self._batch_lines)):
            response = await self.client.post(
                "/write",
                params=params,
                content="\n".join(batch).encode(),
                headers={"Content-Type": "text/plain; charset=utf-8"},
            )
            if response.status_code != 204:
                raise error_from(f"write of {len(batch)} line(s) after {written} failed", response)
            written += len(batch)
        return written

    async def query(
        self,
        influxql: str,
        *,
        epoch: str = "ns",
        database: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> list[Series]:
        """Run a read query (GET /query); times come back as integers in ``epoch`` units.

        ``params`` binds ``$name`` placeholders server-side instead of quoting by hand.
        """
        query = {"q": influxql, "db": database or self.database, "epoch": epoch}
        if self._retention_policy:
            query["rp"] = self._retention_policy
        if params:
            query["params"] = pydantic_core.to_json(params).decode()
        return await self._query("GET", query)

    async def execute(self, influxql: str) -> list[Series]:
        """Run a statement that changes something (POST /query), e.g. CREATE DATABASE."""
        return await self._query("POST", {"q": influxql})

    async def create_database(self, name: str | None = None) -> None:
        """CREATE DATABASE (a no-op if it exists; 1.x only, 2.x uses buckets and DBRP)."""
        await self.execute(f"CREATE DATABASE {quote_ident(name or self.database)}")

    async def drop_database(self, name: str) -> None:
        """DROP DATABASE and everything in it."""
        await self.execute(f"DROP DATABASE {quote_ident(name)}")

    async def _query(self, method: str, params: Mapping[str, str]) -> list[Series]:
        response = await self.client.request(method, "/query", params=params)
        if response.status_code != 200:
            raise error_from("query failed", response)
        try:
            body = response.json()
        except ValueError as exc:
            raise error_from("query answer is not JSON", response) from exc
        return parse_query_response(body)

    async def _ping(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/ping")
        if response.status_code not in (200, 204):
            raise error_from("ping failed", response)
