"""The operator status page: a static page that renders ``/api/v1/system/status``."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATUS_PAGE = Path(__file__).parent / "static" / "status.html"

router = APIRouter(include_in_schema=False)


@router.get("/")
async def status_page() -> FileResponse:
    """The status page (plain HTML and JavaScript, no external assets)."""
    return FileResponse(STATUS_PAGE, media_type="text/html")
