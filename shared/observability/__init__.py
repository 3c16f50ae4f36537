"""Observability for every service: JSON logs with correlation ids, metrics, health."""

from shared.observability.health import DependencyState, health_router
from shared.observability.logging import (
    configure_logging,
    correlation_scope,
    current_correlation_id,
)
from shared.observability.metrics import metrics_response, new_registry

__all__ = [
    "DependencyState",
    "configure_logging",
    "correlation_scope",
    "current_correlation_id",
    "health_router",
    "metrics_response",
    "new_registry",
]
