"""Errors of the InfluxDB adapter."""

from __future__ import annotations

import httpx


class InfluxError(Exception):
    """InfluxDB refused a request or answered with an error."""

    def __init__(self, message: str, *, status: int | None = None, body: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.body = body


def error_from(what: str, response: httpx.Response) -> InfluxError:
    """An ``InfluxError`` carrying the response's status and (the start of) its body."""
    body = response.text[:2000]
    return InfluxError(
        f"InfluxDB {what}: HTTP {response.status_code}: {body}",
        status=response.status_code,
        body=body,
    )
