"""Errors as RFC 9457 problem details (``application/problem+json``) for every API."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.bus.errors import ErrorKind, classify_error
from shared.resources import NotStartedError

PROBLEM_JSON = "application/problem+json"
VALIDATION_PROBLEM = "urn:tickstream:problem:validation-error"


class Problem(BaseModel):
    """An RFC 9457 problem details object; extension members are allowed."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None


class ProblemError(Exception):
    """Raise from a route to answer with a specific problem type."""

    def __init__(
        self, status: int, type_: str, title: str, detail: str | None = None, **extensions: Any
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.type = type_
        self.title = title
        self.detail = detail
        self.extensions = extensions


def problem_response(
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    type_: str = "about:blank",
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """A problem+json response; the title defaults to the status phrase."""
    body = {
        "type": type_,
        "title": title or _phrase(status),
        "status": status,
        "detail": detail,
        "instance": instance,
        **extensions,
    }
    return JSONResponse(
        jsonable_encoder(body), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail: str | None = exc.detail if isinstance(exc.detail, str) else None
    if detail == _phrase(exc.status_code):
        detail = None
    headers = dict(exc.headers) if exc.headers else None
    return problem_response(
        exc.status_code, detail=detail, instance=request.url.path, headers=headers
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(error.get("loc", ())), "msg": error.get("msg"), "type": error.get("type")}
        for error in exc.errors()
    ]
    return problem_response(
        422,
        type_=VALIDATION_PROBLEM,
        title="Request validation failed",
        detail=f"{len(errors)} invalid field(s) in the request",
        instance=request.url.path,
        errors=errors,
    )


async def _problem_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(
        exc.status,
        type_=exc.type,
        title=exc.title,
        detail=exc.detail,
        instance=request.url.path,
        **exc.extensions,
    )


async def _unhandled_error(request: Request, exc: Exception) -> JSONResponse:
    # Starlette re-raises after this answer, so the traceback still reaches the logs.
    if isinstance(exc, NotStartedError) or classify_error(exc) is ErrorKind.TRANSIENT:
        # A store that does not answer (or is not connected yet) is an outage the client
        # can wait out, not a bug: 503 with a hint when to come back.
        response = problem_response(
            503,
            detail="A store this request needs does not answer; try again shortly.",
            instance=request.url.path,
        )
        response.headers["Retry-After"] = "1"
        return response
    return problem_response(
        500, detail="An unexpected error occurred; it has been logged.", instance=request.url.path
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Answer HTTP errors, validation errors and crashes with problem details."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ProblemError, _problem_error)
    app.add_exception_handler(Exception, _unhandled_error)
