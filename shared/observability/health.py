"""Liveness, readiness and metrics routes, shared by every service."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CollectorRegistry
from pydantic import BaseModel

from shared.clock import ns_to_iso
from shared.observability.metrics import metrics_response


@dataclass(frozen=True, slots=True)
class DependencyState:
    """What is known about one dependency: up or down, since when, and the last error."""

    name: str
    up: bool
    since_ns: int
    last_error: str | None = None


class DependencyStatus(BaseModel):
    """One dependency in the readiness report."""

    name: str
    up: bool
    since: str
    last_error: str | None


class Liveness(BaseModel):
    """The process is alive."""

    status: Literal["ok"]
    service: str


class Readiness(BaseModel):
    """Whether every dependency answers, and the state of each."""

    status: Literal["ready", "not_ready"]
    service: str
    dependencies: list[DependencyStatus]


def readiness_report(service: str, states: Sequence[DependencyState]) -> Readiness:
    """The readiness body for a set of dependency states."""
    ready = all(state.up for state in states)
    return Readiness(
        status="ready" if ready else "not_ready",
        service=service,
        dependencies=[
            DependencyStatus(
                name=s.name, up=s.up, since=ns_to_iso(s.since_ns), last_error=s.last_error
            )
            for s in states
        ],
    )


def health_router(
    service: str,
    states: Callable[[], Sequence[DependencyState]],
    registries: Sequence[CollectorRegistry],
) -> APIRouter:
    """``/health`` (alive), ``/ready`` (200 or 503 with each dependency) and ``/metrics``."""
    router = APIRouter(tags=["operations"])

    @router.get("/health", response_model=Liveness, summary="Liveness")
    async def health() -> Liveness:
        return Liveness(status="ok", service=service)

    @router.get(
        "/ready",
        response_model=Readiness,
        summary="Readiness: every dependency answers",
        responses={503: {"model": Readiness, "description": "A dependency is down"}},
    )
    async def ready() -> JSONResponse:
        report = readiness_report(service, states())
        status = 200 if report.status == "ready" else 503
        return JSONResponse(report.model_dump(mode="json"), status_code=status)

    @router.get("/metrics", summary="Prometheus metrics", response_class=Response)
    async def metrics() -> Response:
        return metrics_response(registries)

    return router
