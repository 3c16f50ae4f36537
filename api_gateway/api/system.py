"""``/api/v1/system``: how the platform is doing, for operators and the status page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from api_gateway.adapters.service_status import ServiceStatusReader, SystemStatus


def _status_reader(request: Request) -> ServiceStatusReader:
    reader: ServiceStatusReader = request.app.state.status_reader
    return reader


StatusReader = Annotated[ServiceStatusReader, Depends(_status_reader)]

router = APIRouter(prefix="/api/v1/system", tags=["system"])


@router.get("/status", response_model=SystemStatus, summary="Readiness of every service")
async def system_status(reader: StatusReader) -> SystemStatus:
    """Ask each of the six services' ``/ready`` and report them together."""
    return await reader.read_all()
