"""Prometheus metrics: one registry per app, rendered at ``/metrics``.

Each app gets its own registry so that several apps in one process (tests) never clash;
``/metrics`` also renders the process-wide default registry (process and GC metrics, and
any library metrics registered there).
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)


def new_registry() -> CollectorRegistry:
    """A fresh registry for one app."""
    return CollectorRegistry(auto_describe=True)


def render(registries: Sequence[CollectorRegistry]) -> bytes:
    """The Prometheus text exposition of the given registries and the default one."""
    chosen = [*registries, REGISTRY] if REGISTRY not in registries else list(registries)
    return b"".join(generate_latest(registry) for registry in chosen)


def metrics_response(registries: Sequence[CollectorRegistry]) -> Response:
    """An HTTP response carrying the metrics in Prometheus text format."""
    return Response(content=render(registries), media_type=CONTENT_TYPE_LATEST)


def dependency_gauge(registry: CollectorRegistry) -> Gauge:
    """``tickstream_dependency_up{dependency}``: 1 while a dependency answers, else 0."""
    return Gauge(
        "tickstream_dependency_up",
        "Whether a dependency of this service answers (1) or not (0)",
        ["dependency"],
        registry=registry,
    )


def http_metrics(registry: CollectorRegistry) -> tuple[Counter, Histogram]:
    """Request count and latency by method, route template and status."""
    requests = Counter(
        "tickstream_http_requests",
        "HTTP requests served",
        ["method", "route", "status"],
        registry=registry,
    )
    latency = Histogram(
        "tickstream_http_request_duration_seconds",
        "Time to serve an HTTP request",
        ["method", "route"],
        registry=registry,
    )
    return requests, latency
