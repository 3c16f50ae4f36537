"""Per-request context: a correlation id for logs and responses, and request metrics."""

from __future__ import annotations

import re
import time

from prometheus_client import Counter, Histogram
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.observability.logging import correlation_scope

CORRELATION_HEADER = "x-correlation-id"
# A caller-supplied id is echoed into logs; refuse anything that could forge log content.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestContextMiddleware:
    """Tags each request with a correlation id and counts it by route and status."""

    def __init__(self, app: ASGIApp, *, requests: Counter, latency: Histogram) -> None:
        self.app = app
        self.requests = requests
        self.latency = latency

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        supplied = _header(scope, CORRELATION_HEADER)
        wanted = supplied if supplied and _SAFE_ID.match(supplied) else None
        status = 500
        started = time.perf_counter()
        with correlation_scope(wanted) as correlation_id:

            async def send_with_id(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    MutableHeaders(scope=message)[CORRELATION_HEADER] = correlation_id
                await send(message)

            try:
                await self.app(scope, receive, send_with_id)
            finally:
                route = scope.get("route")
                template = getattr(route, "path", None) or "unmatched"
                method = scope.get("method", "")
                self.requests.labels(method=method, route=template, status=str(status)).inc()
                self.latency.labels(method=method, route=template).observe(
                    time.perf_counter() - started
                )


def _header(scope: Scope, name: str) -> str | None:
    wanted = name.encode("latin-1")
    for key, value in scope.get("headers", []):
        if key.lower() == wanted:
            decoded: str = value.decode("latin-1")
            return decoded
    return None
