"""The app factory every service uses: health, readiness, metrics, docs and lifecycle."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter, FastAPI

from shared.clock import Clock
from shared.observability.health import health_router
from shared.observability.logging import configure_logging
from shared.observability.metrics import dependency_gauge, http_metrics, new_registry
from shared.resources import Resource
from shared.service.docs import install_offline_docs
from shared.service.middleware import RequestContextMiddleware
from shared.service.problems import install_problem_handlers
from shared.service.supervisor import Supervisor
from shared.settings import ServiceSettings

Hook = Callable[[FastAPI], Awaitable[None]]

log = logging.getLogger(__name__)


def create_app(
    settings: ServiceSettings,
    resources: Sequence[Resource],
    *,
    title: str,
    routers: Sequence[APIRouter] = (),
    on_start: Hook | None = None,
    on_stop: Hook | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """A FastAPI app that supervises ``resources`` and serves the service's routers.

    ``app.state`` holds ``settings``, ``registry`` (its Prometheus registry),
    ``supervisor`` and ``resources`` (by name) for routes and hooks to use.
    """
    registry = new_registry()
    supervisor = Supervisor(
        resources,
        interval_s=settings.dependency_check_interval_s,
        timeout_s=settings.dependency_check_timeout_s,
        clock=clock,
        gauge=dependency_gauge(registry),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.service_name, level=settings.log_level, json=settings.log_json)
        log.info("starting %s", settings.service_name)
        supervisor.start()
        try:
            if on_start is not None:
                await on_start(app)
            yield
        finally:
            log.info("stopping %s", settings.service_name)
            async with asyncio.timeout(settings.shutdown_timeout_s):
                await supervisor.stop()
                try:
                    if on_stop is not None:
                        await on_stop(app)
                finally:
                    await close_all(resources)

    app = FastAPI(
        title=title,
        version=_version(),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.registry = registry
    app.state.supervisor = supervisor
    app.state.resources = {resource.name: resource for resource in resources}
    requests, latency = http_metrics(registry)
    app.add_middleware(RequestContextMiddleware, requests=requests, latency=latency)
    install_problem_handlers(app)
    install_offline_docs(app)
    app.include_router(health_router(settings.service_name, supervisor.states, [registry]))
    for router in routers:
        app.include_router(router)
    return app


async def close_all(resources: Sequence[Resource]) -> None:
    """Close every resource, even if some fail; then raise what failed."""
    results = await asyncio.gather(
        *(resource.close() for resource in resources), return_exceptions=True
    )
    failures = [r for r in results if isinstance(r, BaseException)]
    for resource, result in zip(resources, results, strict=True):
        if isinstance(result, BaseException):
            log.error("closing %s failed: %r", resource.name, result)
    if failures:
        raise BaseExceptionGroup("closing resources failed", failures)


def _version() -> str:
    try:
        return version("tickstream")
    except PackageNotFoundError:
        return "0.0.0"
